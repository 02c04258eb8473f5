package io.httpmon.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Headers of the data records between the stages, beside the record's value. */
public final class ChunkHeaders {

    /**
     * On a raw-lines chunk: the number of its first line in the file as the reader counts them (1 for the first
     * line it published), decimal; dead letters name their line by it.
     */
    public static final String FIRST_LINE = "httpmon.first-line";

    /** On a raw-lines chunk: the byte position in the file just past its last line, decimal. */
    public static final String END_OFFSET = "httpmon.end-offset";

    /**
     * On a raw line the reader cut short (such a line is a chunk of its own): the line's original length in bytes
     * (decimal).
     */
    public static final String TRUNCATED = "httpmon.truncated";

    /**
     * On a raw-lines chunk of a W3C log: the {@code #Fields:} directive in force at its first line (the latest one
     * the reader passed), so that a parser that gets this chunk but not the directive's own still reads it.
     */
    public static final String FIELDS_DIRECTIVE = "httpmon.w3c-fields";

    /** On a raw-lines chunk: the file it was read from. */
    public static final String SOURCE_FILE = "httpmon.file";

    /**
     * On every requests record, data or control: its partition of the topic's partitions ({@code p/n}, see
     * {@link PartitionOf}), so the windowing stages know how many partitions make a window whole.
     */
    public static final String PARTITION = "httpmon.partition";

    /**
     * On every raw-lines and requests record, data or control: the id of the reader (source) it came from, UTF-8.
     * Stage one keeps time and end of input per source, so one web server's reader cannot end or hurry another's.
     */
    public static final String SOURCE = "httpmon.source";

    /** The source a record with these headers came from; "" when it does not say (a record of an older reader). */
    public static String source(Headers headers) {
        Header h = headers.lastHeader(SOURCE);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private ChunkHeaders() {}
}
