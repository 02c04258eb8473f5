package io.httpmon.parser;

import io.httpmon.common.Control;
import io.httpmon.common.Times;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.ParseError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns one {@code raw-lines} record into what the parser publishes: a request, a dead letter, or (for a control
 * record) nothing but the note that it is one. Plain logic, no Kafka I/O, so it is tested with plain calls.
 */
public final class RawLineParser {

    /**
     * What became of one raw record: a request, a dead letter, or a control record to pass on. A request stamped too
     * far ahead of the reader's clock is a dead letter whose control is {@link Control#FUTURE}, so that the
     * statistics count it too; otherwise exactly one of the three is set.
     */
    public record Outcome(HttpRequest request, ParseError deadLetter, String control, long aheadMs) {

        Outcome(HttpRequest request, ParseError deadLetter, String control) {
            this(request, deadLetter, control, 0);
        }
    }

    /** {@code [Stats] max_future}'s default: a minute covers clocks that drift; a wrong time zone is hours. */
    public static final long DEFAULT_MAX_FUTURE_MS = 60_000;

    private RawLineParser() {
    }

    /**
     * @param maxFutureMs how far ahead of the reader's clock (the raw record's timestamp) a request may be stamped
     */
    public static Outcome handle(ConsumerRecord<byte[], byte[]> record, long maxFutureMs) {
        Header control = record.headers().lastHeader(Control.CONTROL);
        if (control != null) {
            return new Outcome(null, null, new String(control.value(), StandardCharsets.UTF_8));
        }
        byte[] line = record.value() == null ? new byte[0] : record.value();
        Header truncated = record.headers().lastHeader(Control.TRUNCATED);
        if (truncated != null) {
            long original = parseLong(truncated.value(), line.length);
            return new Outcome(null, deadLetter(record, line, original,
                    "line too long: " + original + " bytes, more than the reader's limit of " + line.length), null);
        }
        LogLineParser.Result result = LogLineParser.parse(line);
        if (result.isRequest()) {
            long time = result.request().timestamp();
            if (time < 0) {
                // Kafka records cannot carry such a time; no web server of today writes one.
                return new Outcome(null, deadLetter(record, line, line.length, "time " + result.request().time()
                        + " is before 1970-01-01, which a Kafka record cannot carry"), null);
            }
            long ahead = time - record.timestamp();
            if (record.timestamp() >= 0 && ahead > maxFutureMs) {
                return new Outcome(null, deadLetter(record, line, line.length, "timestamp " + Times.span(ahead)
                        + " ahead of this host's clock (more than [Stats] max_future = " + maxFutureMs / 1000
                        + " s): a web server with a wrong clock or time zone?"), Control.FUTURE, ahead);
            }
            return new Outcome(result.request(), null, null);
        }
        return new Outcome(null, deadLetter(record, line, line.length, result.error()), null);
    }

    private static ParseError deadLetter(ConsumerRecord<byte[], byte[]> record, byte[] line, long originalLength,
            String reason) {
        Header file = record.headers().lastHeader(Control.SOURCE_FILE);
        String base64 = isUtf8(line) ? null : Base64.getEncoder().encodeToString(line);
        return new ParseError(reason, new String(line, StandardCharsets.UTF_8), base64, originalLength,
                record.topic(), record.partition(), record.offset(),
                file == null ? null : new String(file.value(), StandardCharsets.UTF_8));
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
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
