package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.ParseError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RawLineParserTest {

    private static ConsumerRecord<byte[], byte[]> raw(byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("p.raw-lines", 3, 17L, null, value);
        record.headers().add(ChunkHeaders.SOURCE_FILE, "/var/log/access.log".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static RawLineParser.Outcome handle(ConsumerRecord<byte[], byte[]> record) {
        return RawLineParser.handle(record, RawLineParser.DEFAULT_MAX_FUTURE_MS);
    }

    /** A raw line as the reader publishes it, read at {@code readAt} by the reader's clock. */
    private static ConsumerRecord<byte[], byte[]> readAt(Instant readAt, String line) {
        return new ConsumerRecord<>(
                "p.raw-lines",
                2,
                9L,
                readAt.toEpochMilli(),
                TimestampType.CREATE_TIME,
                0,
                0,
                null,
                line.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(),
                Optional.empty());
    }

    @Test
    void aRequestStampedHoursAheadOfTheReadersClockIsADeadLetterThatSaysByHowMuch() {
        var outcome = handle(readAt(
                Instant.parse("2026-03-01T09:00:00Z"),
                "1.2.3.4 - - [01/Mar/2026:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1"));
        assertNull(outcome.request(), "it must never reach a topic with that timestamp");
        assertEquals(1, outcome.batch().future(), "the statistics count it as future");
        assertEquals(3 * 3600_000L, outcome.maxAheadMs());
        assertTrue(
                outcome.deadLetter().reason().startsWith("timestamp 3 h 0 min ahead of this host's clock"),
                outcome.deadLetter().reason());
        assertEquals(2, outcome.deadLetter().sourcePartition());
    }

    @Test
    void aRequestWithinTheToleranceOrInThePastIsARequest() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        assertNotNull(
                handle(readAt(
                                now.minusSeconds(59),
                                "1.2.3.4 - - [01/Mar/2026:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1"))
                        .request(),
                "59 s ahead");
        assertNotNull(
                handle(readAt(now, "1.2.3.4 - - [01/Jan/1971:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1"))
                        .request(),
                "1971 is late for the statistics, not a bad line");
        var ahead = RawLineParser.handle(
                readAt(now.minusSeconds(600), "1.2.3.4 - - [01/Mar/2026:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1"),
                3_600_000);
        assertNotNull(ahead.request(), "10 min ahead with max_future = 3600");
    }

    @Test
    void aTimeBefore1970IsADeadLetterNotACrash() {
        var outcome = handle(readAt(
                Instant.parse("2026-03-01T12:00:00Z"),
                "1.2.3.4 - - [31/Dec/1969:23:59:59 +0000] \"GET / HTTP/1.1\" 200 1"));
        assertNull(outcome.request());
        assertNull(outcome.control());
        assertEquals(0, outcome.batch().future());
        assertTrue(
                outcome.deadLetter().reason().contains("before 1970-01-01"),
                outcome.deadLetter().reason());
    }

    @Test
    void aValidLineBecomesARequest() {
        var outcome = handle(raw(
                "1.2.3.4 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1".getBytes(StandardCharsets.UTF_8)));
        assertNotNull(outcome.request());
        assertNull(outcome.deadLetter());
    }

    @Test
    void aDeadLetterSaysWhyAndWhereTheLineCameFrom() {
        ParseError error =
                handle(raw("not a log line".getBytes(StandardCharsets.UTF_8))).deadLetter();
        assertEquals("not a log line", error.line());
        assertNull(error.lineBase64());
        assertEquals("p.raw-lines", error.sourceTopic());
        assertEquals(3, error.sourcePartition());
        assertEquals(17L, error.sourceOffset());
        assertEquals("/var/log/access.log", error.file());
        assertTrue(error.reason().contains("'['"), error.reason());
    }

    @Test
    void invalidUtf8IsKeptExactlyInBase64() {
        byte[] bytes = {'x', (byte) 0xC3, (byte) 0x28, 0, 'y'};
        ParseError error = handle(raw(bytes)).deadLetter();
        assertEquals(Base64.getEncoder().encodeToString(bytes), error.lineBase64());
    }

    @Test
    void aLineTheReaderCutIsADeadLetterWithItsOriginalLength() {
        ConsumerRecord<byte[], byte[]> record = raw(new byte[2048]);
        record.headers().add(ChunkHeaders.TRUNCATED, "5000000".getBytes(StandardCharsets.US_ASCII));
        ParseError error = handle(record).deadLetter();
        assertEquals(5_000_000L, error.lineBytes());
        assertTrue(error.reason().startsWith("line too long"), error.reason());
    }

    @Test
    void controlRecordsAreNotData() {
        ConsumerRecord<byte[], byte[]> record = raw(null);
        Control.endOfInput(0).headers().forEach(h -> record.headers().add(h));
        var outcome = handle(record);
        assertEquals(Control.Kind.END_OF_INPUT, outcome.control().kind());
        assertNull(outcome.batch());
        assertEquals(List.of(), outcome.deadLetters());
    }

    private static final String GOOD = "1.2.3.4 - - [09/May/2018:16:00:39 +0000] \"GET /a/%d HTTP/1.1\" 200 1";

    @Test
    void aChunkBecomesOneBatchInFileOrderAndADeadLetterPerBadLineNamingIt() {
        String chunk =
                GOOD.formatted(1) + "\n" + "garbage\n" + "\n" + GOOD.formatted(2) + "\n" + GOOD.formatted(3) + "\n";
        ConsumerRecord<byte[], byte[]> record = raw(chunk.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ChunkHeaders.FIRST_LINE, "41".getBytes(StandardCharsets.US_ASCII));
        var outcome = handle(record);
        assertEquals(
                List.of("/a/1", "/a/2", "/a/3"),
                outcome.batch().requests().stream().map(HttpRequest::resource).toList());
        assertEquals(
                List.of("garbage", ""),
                outcome.deadLetters().stream().map(ParseError::line).toList());
        assertEquals(
                List.of(42L, 43L),
                outcome.deadLetters().stream().map(ParseError::lineNumber).toList(),
                "lines 42 and 43 of the file");
    }

    @Test
    void aRecordWithoutATrailingNewlineIsOneLineMoreAndAnEmptyRecordIsAnEmptyLine() {
        assertEquals(
                1,
                handle(raw(GOOD.formatted(1).getBytes(StandardCharsets.UTF_8)))
                        .batch()
                        .requests()
                        .size());
        var empty = handle(raw(new byte[0]));
        assertEquals("empty line", empty.deadLetter().reason());
        assertNull(empty.deadLetter().lineNumber(), "no line number without the reader's header");
    }

    @Test
    void aW3cChunkWhoseDirectiveAnotherParserSawIsReadWithTheColumnsTheReaderPassedOn() {
        // This parser never saw the #Fields line (another partition's chunk had it): the reader's header says it.
        ConsumerRecord<byte[], byte[]> record = readAt(
                Instant.parse("2026-12-02T10:00:05Z"),
                "2026-12-02 10:00:02 198.51.100.7 POST /api/orders 201 512 120\n#Fields: date time c-ip cs-method "
                        + "cs-uri-stem sc-status\n2026-12-02 10:00:03 198.51.100.8 GET /x 404\ngarbage\n");
        record.headers()
                .add(
                        ChunkHeaders.FIELDS_DIRECTIVE,
                        ("#Fields: date time c-ip cs-method cs-uri-stem sc-status " + "sc-bytes time-taken")
                                .getBytes(StandardCharsets.UTF_8));
        var reader = new io.httpmon.parser.format.LogReader(
                io.httpmon.parser.format.LogFormats.choose("w3c", io.httpmon.parser.format.ClientPolicy.REMOTE_ADDR));
        var outcome = RawLineParser.handle(record, RawLineParser.DEFAULT_MAX_FUTURE_MS, reader);
        List<HttpRequest> requests = outcome.batch().requests();
        assertEquals(2, requests.size(), "the directive line is neither a request nor a dead letter");
        assertEquals(120_000L, requests.get(0).responseTimeUs());
        assertEquals(512L, requests.get(0).bytes());
        assertEquals(404, requests.get(1).status(), "read with the directive met inside the chunk");
        assertNull(requests.get(1).responseTimeUs());
        assertEquals(1, outcome.deadLetters().size());
        assertEquals(1, outcome.batch().deadLetters(), "the statistics count the bad line");
    }
}
