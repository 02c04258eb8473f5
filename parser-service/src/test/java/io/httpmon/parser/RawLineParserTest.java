package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Control;
import io.httpmon.common.model.ParseError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RawLineParserTest {

    private static ConsumerRecord<byte[], byte[]> raw(byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("p.raw-lines", 3, 17L, null, value);
        record.headers().add(Control.SOURCE_FILE, "/var/log/access.log".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void aValidLineBecomesARequest() {
        var outcome = RawLineParser.handle(raw(
                "1.2.3.4 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1".getBytes(StandardCharsets.UTF_8)));
        assertNotNull(outcome.request());
        assertNull(outcome.deadLetter());
    }

    @Test
    void aDeadLetterSaysWhyAndWhereTheLineCameFrom() {
        ParseError error = RawLineParser.handle(raw("not a log line".getBytes(StandardCharsets.UTF_8))).deadLetter();
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
        ParseError error = RawLineParser.handle(raw(bytes)).deadLetter();
        assertEquals(Base64.getEncoder().encodeToString(bytes), error.lineBase64());
    }

    @Test
    void aLineTheReaderCutIsADeadLetterWithItsOriginalLength() {
        ConsumerRecord<byte[], byte[]> record = raw(new byte[2048]);
        record.headers().add(Control.TRUNCATED, "5000000".getBytes(StandardCharsets.US_ASCII));
        ParseError error = RawLineParser.handle(record).deadLetter();
        assertEquals(5_000_000L, error.lineBytes());
        assertTrue(error.reason().startsWith("line too long"), error.reason());
    }

    @Test
    void controlRecordsAreNotData() {
        ConsumerRecord<byte[], byte[]> record = raw(null);
        record.headers().add(Control.CONTROL, Control.END_OF_INPUT.getBytes(StandardCharsets.US_ASCII));
        var outcome = RawLineParser.handle(record);
        assertEquals(Control.END_OF_INPUT, outcome.control());
        assertNull(outcome.request());
        assertNull(outcome.deadLetter());
    }
}
