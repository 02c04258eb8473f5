package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.httpmon.common.Json;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ParseError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes a line holds, the parser never throws, and the line becomes exactly one of a request
 * or a dead letter, either of which serialises to JSON. Inputs: random bytes, random mutations of real lines,
 * invalid UTF-8, NUL, ANSI escapes, a 1 MB line, a line without a newline. Seeds are fixed and printed on failure.
 */
class ParserFuzzTest {

    private static final long SEED = 20261124L;

    private static List<byte[]> realLines() throws IOException {
        try (InputStream in = ParserFuzzTest.class.getResourceAsStream("/real-world/nginx-access.log")) {
            assertNotNull(in, "the real-world fixture");
            List<byte[]> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
            return lines;
        }
    }

    /**
     * The parser's rules alone, without the guard that turns a slip into a dead letter: the property is that there
     * is no slip, so a throw here fails the test.
     */
    private static void strict(byte[] chunk, int from, int to, String what) {
        try {
            LogLineParser.parseStrict(chunk, from, to);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    what + ": the parser's rules threw on "
                            + Arrays.toString(Arrays.copyOfRange(chunk, from, Math.min(to, from + 200))),
                    e);
        }
    }

    private static void check(byte[] line, String what) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("f.raw-lines", 0, 1L, null, line);
        RawLineParser.Outcome outcome;
        try {
            outcome = RawLineParser.handle(record, RawLineParser.DEFAULT_MAX_FUTURE_MS);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    what + ": the parser threw on " + Arrays.toString(Arrays.copyOf(line, Math.min(line.length, 200))),
                    e);
        }
        // The record is a chunk: every newline in it ends a line (a last one without a newline is a line too).
        int lines = 0;
        int from = 0;
        for (int i = 0; i <= line.length; i++) {
            if (i == line.length || line[i] == '\n') {
                if (i < line.length || i > from || line.length == 0) {
                    strict(line, from, i, what);
                }
                from = i + 1;
            }
            lines += i < line.length && line[i] == '\n' ? 1 : 0;
        }
        lines += line.length == 0 || line[line.length - 1] != '\n' ? 1 : 0;
        int requests = outcome.batch().requests().size();
        if (requests + outcome.deadLetters().size() != lines) {
            fail(what + ": expected " + lines + " requests and dead letters in all, got " + outcome);
        }
        try {
            byte[] json = Topics.REQUESTS.valueSerde().serializer().serialize("t", outcome.batch());
            assertEquals(
                    outcome.batch(),
                    Topics.REQUESTS.valueSerde().deserializer().deserialize("t", json),
                    what + ": the batch reads back as it was written");
            for (ParseError error : outcome.deadLetters()) {
                assertTrue(Json.MAPPER.writeValueAsBytes(error).length > 2);
                assertNotNull(error.reason(), what);
            }
        } catch (IOException e) {
            throw new AssertionError(what + ": the outcome does not serialise", e);
        }
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] line = new byte[random.nextInt(300)];
            for (int j = 0; j < line.length; j++) {
                line[j] = (byte) random.nextInt(256);
            }
            check(line, "seed " + SEED + " case " + i);
        }
    }

    @Test
    void mutationsOfRealLinesNeverThrow() throws IOException {
        List<byte[]> real = realLines();
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] interesting = {
            0, '"', '[', ']', ' ', '\\', 'x', '-', ':', '/', '+', 0x1b, (byte) 0xff, (byte) 0xc3, '\t', '\r', '9'
        };
        int parsedAsRequests = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] line = real.get(random.nextInt(real.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && line.length > 0; m++) {
                int at = random.nextInt(line.length);
                switch (random.nextInt(4)) {
                    case 0 -> line[at] = interesting[random.nextInt(interesting.length)];
                    case 1 -> line[at] = (byte) random.nextInt(256);
                    case 2 -> line = Arrays.copyOf(line, at); // truncated
                    default -> {
                        byte[] longer = new byte[line.length + 1];
                        System.arraycopy(line, 0, longer, 0, at);
                        longer[at] = interesting[random.nextInt(interesting.length)];
                        System.arraycopy(line, at, longer, at + 1, line.length - at);
                        line = longer;
                    }
                }
            }
            check(line, "seed " + (SEED + 1) + " case " + i);
            if (LogLineParser.parse(line).request() != null) {
                parsedAsRequests++;
            }
        }
        // Many mutations only touch a field's content: the parser is strict where it must be, not everywhere.
        assertTrue(parsedAsRequests > 5_000, "requests among mutated lines: " + parsedAsRequests);
    }

    @Test
    void hostileLines() {
        String valid = "1.2.3.4 - - [09/May/2018:16:00:39 +0000] \"GET /a HTTP/1.1\" 200 1";
        check(new byte[0], "empty");
        check(new byte[] {0, 0, 0}, "NULs");
        check((valid + "\u0000").getBytes(StandardCharsets.UTF_8), "trailing NUL");
        check(valid.replace("/a", "/\u001b[2J\u001b[31mred").getBytes(StandardCharsets.UTF_8), "ANSI escapes");
        check(valid.replace("/a", "/\u202Eevil").getBytes(StandardCharsets.UTF_8), "bidi override");
        check(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xA1}, "invalid UTF-8");
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        check(huge, "1 MB of one letter");
        String hugeRequest = valid.replace("/a", "/" + "b".repeat(1024 * 1024));
        check(hugeRequest.getBytes(StandardCharsets.UTF_8), "1 MB path");
        assertEquals(
                "/" + "b".repeat(1024 * 1024),
                LogLineParser.parse(hugeRequest.getBytes(StandardCharsets.UTF_8))
                        .request()
                        .resource());
    }
}
