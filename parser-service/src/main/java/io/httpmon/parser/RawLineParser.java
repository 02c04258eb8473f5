package io.httpmon.parser;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.Times;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.ParseError;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.parser.format.LogReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns one {@code raw-lines} record (a chunk of lines) into what the parser publishes: one batch of requests and a
 * dead letter per bad line, or (for a control record) nothing but the note that it is one. Plain logic, no Kafka
 * I/O, so it is tested with plain calls.
 */
public final class RawLineParser {

    /**
     * What became of one raw record. For a chunk: the batch of its requests (maybe empty), its dead letters, how
     * many lines were stamped too far ahead of the reader's clock (also among the dead letters) and the largest
     * such lead. For a control record: only {@code control}.
     */
    public record Outcome(RequestBatch batch, List<ParseError> deadLetters, Control control, long maxAheadMs) {

        /** The only request of a one-line chunk, or null (for tests and single lines). */
        public HttpRequest request() {
            return batch == null || batch.requests().size() != 1
                    ? null
                    : batch.requests().get(0);
        }

        /** The only dead letter of a one-line chunk, or null. */
        public ParseError deadLetter() {
            return deadLetters.size() != 1 ? null : deadLetters.get(0);
        }
    }

    /** {@code [Stats] max_future}'s default: a minute covers clocks that drift; a wrong time zone is hours. */
    public static final long DEFAULT_MAX_FUTURE_MS = 60_000;

    private RawLineParser() {}

    /**
     * @param maxFutureMs how far ahead of the reader's clock (the raw record's timestamp) a request may be stamped
     */
    public static Outcome handle(ConsumerRecord<byte[], byte[]> record, long maxFutureMs) {
        return handle(record, maxFutureMs, LogReader.classic());
    }

    /**
     * @param maxFutureMs how far ahead of the reader's clock (the raw record's timestamp) a request may be stamped
     * @param reader the log format of each file (this parser's)
     */
    public static Outcome handle(ConsumerRecord<byte[], byte[]> record, long maxFutureMs, LogReader reader) {
        Control control = Control.read(record.headers(), record.timestamp());
        if (control != null) {
            return new Outcome(null, List.of(), control, 0);
        }
        byte[] chunk = record.value() == null ? new byte[0] : record.value();
        long readAt = record.timestamp();
        Chunk context = new Chunk(record);
        Header truncated = record.headers().lastHeader(ChunkHeaders.TRUNCATED);
        if (truncated != null) {
            // A cut line is a chunk of its own; the newline after it is the reader's, not part of the line.
            int end = chunk.length > 0 && chunk[chunk.length - 1] == '\n' ? chunk.length - 1 : chunk.length;
            long original = parseLong(truncated.value(), end);
            return new Outcome(
                    new RequestBatch(readAt, 0, List.of(), 1),
                    List.of(context.deadLetter(
                            chunk,
                            0,
                            end,
                            original,
                            0,
                            "line too long: " + original + " bytes, more than the reader's limit of " + end)),
                    null,
                    0);
        }
        Header directive = record.headers().lastHeader(ChunkHeaders.FIELDS_DIRECTIVE);
        LogReader.Source source = reader.source(
                context.file, directive == null ? null : new String(directive.value(), StandardCharsets.UTF_8));
        source.prepare(chunk, 0, chunk.length);
        Outcome outcome = parseLines(chunk, readAt, maxFutureMs, context, source);
        int lines = outcome.batch().requests().size()
                + outcome.batch().future()
                + outcome.deadLetters().size();
        if (outcome.deadLetters().size() * 2 > lines && source.redetect(chunk, 0, chunk.length)) {
            outcome = parseLines(chunk, readAt, maxFutureMs, context, source); // a rotation to another format
        }
        return outcome;
    }

    private static Outcome parseLines(
            byte[] chunk, long readAt, long maxFutureMs, Chunk context, LogReader.Source source) {
        List<HttpRequest> requests = new ArrayList<>();
        List<ParseError> deadLetters = new ArrayList<>(0);
        int future = 0;
        long maxAhead = 0;
        int index = 0;
        int from = 0;
        // Each line is followed by a newline; a record without one at its end (an older reader's single line) holds
        // one line more, and an empty record is one empty line.
        while (from < chunk.length || (from == 0 && chunk.length == 0)) {
            int to = from;
            while (to < chunk.length && chunk[to] != '\n') {
                to++;
            }
            LogLineParser.Result result = source.parse(chunk, from, to);
            if (result.isSkipped()) {
                index++;
                from = to + 1;
                continue;
            }
            if (result.isRequest()) {
                HttpRequest request = result.request();
                long time = request.timestamp();
                long ahead = time - readAt;
                if (time < 0) {
                    // Kafka records cannot carry such a time; no web server of today writes one.
                    deadLetters.add(context.deadLetter(
                            chunk,
                            from,
                            to,
                            to - from,
                            index,
                            "time " + request.time() + " is before 1970-01-01, which a Kafka record cannot carry"));
                } else if (readAt >= 0 && ahead > maxFutureMs) {
                    deadLetters.add(context.deadLetter(
                            chunk,
                            from,
                            to,
                            to - from,
                            index,
                            "timestamp "
                                    + Times.span(ahead) + " ahead of this host's clock (more than [Stats] max_future = "
                                    + maxFutureMs / 1000 + " s): a web server with a wrong clock or time zone?"));
                    future++;
                    maxAhead = Math.max(maxAhead, ahead);
                } else {
                    requests.add(request);
                }
            } else {
                deadLetters.add(context.deadLetter(chunk, from, to, to - from, index, result.error()));
            }
            index++;
            from = to + 1;
        }
        return new Outcome(
                new RequestBatch(readAt, future, requests, deadLetters.size() - future), deadLetters, null, maxAhead);
    }

    /** Where a chunk came from, for its dead letters. */
    private static final class Chunk {
        final ConsumerRecord<byte[], byte[]> record;
        final String file;
        final long firstLine;

        Chunk(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
            Header fileHeader = record.headers().lastHeader(ChunkHeaders.SOURCE_FILE);
            this.file = fileHeader == null ? null : new String(fileHeader.value(), StandardCharsets.UTF_8);
            Header first = record.headers().lastHeader(ChunkHeaders.FIRST_LINE);
            this.firstLine = first == null ? -1 : parseLong(first.value(), -1);
        }

        ParseError deadLetter(byte[] chunk, int from, int to, long originalLength, int index, String reason) {
            byte[] line = Arrays.copyOfRange(chunk, from, to);
            String base64 = isUtf8(line) ? null : Base64.getEncoder().encodeToString(line);
            return new ParseError(
                    reason,
                    new String(line, StandardCharsets.UTF_8),
                    base64,
                    originalLength,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    file,
                    firstLine < 0 ? null : firstLine + index);
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static long parseLong(byte[] text, long fallback) {
        try {
            return Long.parseLong(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
