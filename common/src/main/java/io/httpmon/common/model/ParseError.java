package io.httpmon.common.model;

/**
 * A dead letter on {@code parse-errors}: a line the parser could not read as a request.
 *
 * @param reason why it was rejected, for a person
 * @param line the line as text (invalid UTF-8 replaced by U+FFFD)
 * @param lineBase64 the exact bytes, present only when the line is not valid UTF-8
 * @param lineBytes length of the original line in bytes (larger than {@code line} when the reader cut it)
 * @param sourceTopic topic the raw line was read from
 * @param sourcePartition its partition
 * @param sourceOffset the offset of the raw-lines record (a chunk of lines) that held it
 * @param file the file the reader read it from, when known
 * @param lineNumber the line's number in the file as the reader counts them (1 for the first line it published),
 *     when known
 */
public record ParseError(
        String reason,
        String line,
        String lineBase64,
        long lineBytes,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String file,
        Long lineNumber) {}
