package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogLineParserTest {

    private static HttpRequest request(String line) {
        LogLineParser.Result result = LogLineParser.parse(line.getBytes(StandardCharsets.UTF_8));
        assertTrue(result.isRequest(), () -> "expected a request, got: " + result.error());
        return result.request();
    }

    private static String error(String line) {
        LogLineParser.Result result = LogLineParser.parse(line.getBytes(StandardCharsets.UTF_8));
        assertFalse(result.isRequest(), () -> "expected an error, got " + result.request());
        return result.error();
    }

    @Test
    void linesReadOneAfterTheOtherEachGetTheirOwnTimeWhetherItRepeatsOrNot() {
        // The parser remembers the last line's time field; a line with another one (or a bad one) must not get it.
        LogLineParser.LineMemo times = new LogLineParser.LineMemo();
        String[] stamps = {
            "10/Mar/2004:13:05:52 -0800", "10/Mar/2004:13:05:52 -0800", "10/Mar/2004:13:05:53 -0800",
            "10/Mar/2004:13:05:53 +0100", "10/Mar/2004:13:05:53 +0100", "31/Feb/2004:13:05:53 +0100",
            "10/Mar/2004:13:05:53 +0100"
        };
        String[] expected = {
            "2004-03-10T13:05:52-08:00",
            "2004-03-10T13:05:52-08:00",
            "2004-03-10T13:05:53-08:00",
            "2004-03-10T13:05:53+01:00",
            "2004-03-10T13:05:53+01:00",
            null,
            "2004-03-10T13:05:53+01:00"
        };
        for (int k = 0; k < stamps.length; k++) {
            byte[] line = ("1.2.3.4 - - [" + stamps[k] + "] \"GET / HTTP/1.1\" 200 1").getBytes(StandardCharsets.UTF_8);
            LogLineParser.Result r = LogLineParser.parse(line, 0, line.length, times);
            if (expected[k] == null) {
                assertTrue(r.error().contains("is not dd/MMM/yyyy"), r.error());
                continue;
            }
            assertEquals(expected[k], r.request().time(), stamps[k]);
            assertEquals(
                    Instant.parse(expected[k].substring(0, 19) + "Z").toEpochMilli()
                            - (expected[k].endsWith("-08:00") ? -8 : 1) * 3_600_000L,
                    r.request().timestamp(),
                    stamps[k]);
        }
    }

    @Test
    void aLineReadsTheSameAfterAnyLinesBeforeItAsOnItsOwn() {
        // The memo hands a line the strings of an earlier line with the same field bytes: a line must read exactly as
        // it does alone, whatever came before (fields repeated, one byte apart, escaped, '-', in another field, cut).
        Random random = new Random(7);
        String[] requests = {
            "GET /a HTTP/1.1",
            "GET /b HTTP/1.1",
            "GET /a HTTP/1.0",
            "POST /a HTTP/1.1",
            "GET /a/b?x=1 HTTP/1.1",
            "GET /q\\\"x HTTP/1.1",
            "GET /q\\x22x HTTP/1.1",
            "BREW /pot",
            "-",
            "GET /été HTTP/2.0",
            "x"
        };
        String[] words = {"-", "bob", "alice", "GET /a HTTP/1.1", "Mozilla/5.0", "http://a/", "bo", "\\\"q\\\""};
        LogLineParser.LineMemo memo = new LogLineParser.LineMemo();
        for (int k = 0; k < 20_000; k++) {
            String line = "10.0.0." + random.nextInt(300) + " " + pick(random, "-", "id")
                    + " " + pick(random, "-", "bob", "alice", "bob2", "u" + (1000 + random.nextInt(9000)))
                    + " [10/Mar/2004:13:05:" + (50 + random.nextInt(3)) + " -0800] \""
                    + (random.nextBoolean()
                            ? requests[random.nextInt(requests.length)]
                            : "GET /p" + (1000 + random.nextInt(9000)) + " HTTP/1.1") // more than the memo holds
                    + "\" " + pick(random, "200", "404", "2x0")
                    + " " + pick(random, "-", "12", "99")
                    + switch (random.nextInt(4)) {
                        case 0 -> "";
                        case 1 ->
                            " \"" + words[random.nextInt(words.length)] + "\" \"" + words[random.nextInt(words.length)]
                                    + "\"";
                        case 2 -> " \"" + words[random.nextInt(words.length)] + "\" \"Mozi";
                        default -> " \"" + words[random.nextInt(words.length)];
                    };
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    LogLineParser.parse(bytes, 0, bytes.length, null),
                    LogLineParser.parse(bytes, 0, bytes.length, memo),
                    line);
        }
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }

    @Test
    void aLineCutOffInsideTheUserAgentIsARequestMarkedTruncated() {
        HttpRequest r = request("66.249.66.1 - - [10/Mar/2004:13:05:52 -0800] \"GET /robots.txt HTTP/1.1\" 200 68 "
                + "\"-\" \"Mozilla/5.0 (compatible; Googlebo");
        assertEquals("/robots.txt", r.resource());
        assertEquals(200, r.status());
        assertEquals(68L, r.bytes());
        assertEquals("Mozilla/5.0 (compatible; Googlebo", r.userAgent());
        assertEquals(Boolean.TRUE, r.truncated());
        HttpRequest inReferrer =
                request("1.2.3.4 - - [10/Mar/2004:13:05:52 -0800] \"GET / HTTP/1.1\" 200 1 \"http://ex");
        assertEquals("http://ex", inReferrer.referrer());
        assertEquals(Boolean.TRUE, inReferrer.truncated());
        assertNull(
                request("1.2.3.4 - - [10/Mar/2004:13:05:52 -0800] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl\"")
                        .truncated(),
                "a whole line is not marked");
    }

    @Test
    void apachesVhostCombinedKeepsTheVirtualHostApart() {
        HttpRequest r = request("www.example.com:443 203.0.113.9 - alice [10/Mar/2024:13:05:52 +0100] "
                + "\"GET /shop/cart HTTP/2.0\" 302 512 \"https://www.example.com/\" \"Mozilla/5.0\"");
        assertEquals("www.example.com:443", r.vhost());
        assertEquals("203.0.113.9", r.host());
        assertNull(r.ident());
        assertEquals("alice", r.user());
        assertEquals("/shop", r.section());
        assertEquals(302, r.status());
        assertEquals("Mozilla/5.0", r.userAgent());
        assertNull(request("203.0.113.9 - alice [10/Mar/2024:13:05:52 +0100] \"GET / HTTP/1.1\" 200 1")
                .vhost());
    }

    @Test
    void twoSpacesAfterTheHostAreNotAVirtualHostWithAnEmptyClient() {
        // Found by ParserFuzzTest once it called the rules without their guard: the empty field was taken for the
        // client of a vhost_combined line, and the request refused it.
        byte[] line = "127.0.0.1  - - [24/Nov/2026:08:45:18 +0000] \"GET / HTTP/1.1\" 400 157"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        LogLineParser.Result r = LogLineParser.parseStrict(line, 0, line.length);
        assertTrue(r.error().contains("'['"), r.error());
    }

    @Test
    void aLineWithoutTimeRequestOrStatusIsStillADeadLetter() {
        assertTrue(error("1.2.3.4 - - [10/Mar/2004:13:05:52 -0800] \"GET / HTTP/1.1")
                .contains("closing quote"));
        assertTrue(error("1.2.3.4 - - [10/Mar/2004:13:05:52 -0800] \"GET / HTTP/1.1\"")
                .contains("status"));
    }

    /** Lines Debian's nginx wrote (see real-world/capture-nginx.sh), in its default combined format. */
    private static List<byte[]> nginxLines() throws IOException {
        try (InputStream in = LogLineParserTest.class.getResourceAsStream("/real-world/nginx-access.log")) {
            assertNotNull(in, "fixture missing");
            List<byte[]> lines = new ArrayList<>();
            byte[] all = in.readAllBytes();
            int from = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    lines.add(java.util.Arrays.copyOfRange(all, from, i));
                    from = i + 1;
                }
            }
            return lines;
        }
    }

    @Test
    void everyLineNginxWroteIsARequestWithItsStatus() throws IOException {
        List<byte[]> lines = nginxLines();
        assertEquals(15, lines.size());
        List<Integer> statuses = new ArrayList<>();
        for (byte[] line : lines) {
            LogLineParser.Result result = LogLineParser.parse(line);
            assertTrue(result.isRequest(), () -> new String(line, StandardCharsets.UTF_8) + ": " + result.error());
            statuses.add(result.request().status());
        }
        assertEquals(List.of(200, 200, 200, 404, 404, 405, 200, 404, 200, 404, 404, 400, 400, 400, 400), statuses);
    }

    @Test
    void nginxCombinedLineWithEscapedQuotesInReferrerAndAgent() throws IOException {
        HttpRequest r = LogLineParser.parse(nginxLines().get(2)).request();
        assertEquals("127.0.0.1", r.host());
        assertNull(r.ident());
        assertNull(r.user());
        assertEquals("GET", r.method());
        assertEquals("/pages/create", r.resource());
        assertEquals("HTTP/1.1", r.protocol());
        assertEquals("/pages", r.section());
        assertEquals(200, r.status());
        assertEquals(5L, r.bytes());
        assertEquals("http://example.com/from?a=\"b\"", r.referrer());
        assertEquals("Mozilla/5.0 (X11; Linux x86_64) \"quoted\" agent", r.userAgent());
    }

    @Test
    void nginxIpv6ClientOverHttp2() throws IOException {
        HttpRequest r = LogLineParser.parse(nginxLines().get(9)).request();
        assertEquals("::1", r.host());
        assertEquals("HTTP/2.0", r.protocol());
        assertEquals("/ipv6/path?z=1", r.resource());
        assertEquals("/ipv6", r.section());
    }

    @Test
    void nginxBasicAuthUserAndVeryLongUrl() throws IOException {
        List<byte[]> lines = nginxLines();
        assertEquals("frank", LogLineParser.parse(lines.get(3)).request().user());
        HttpRequest longUrl = LogLineParser.parse(lines.get(7)).request();
        assertTrue(longUrl.resource().length() > 8000, "resource keeps its full length");
        assertEquals("GET", longUrl.method());
    }

    @Test
    void nginxGarbageRequestIsKeptWithItsStatusAndRawText() throws IOException {
        List<byte[]> lines = nginxLines();
        HttpRequest garbage = LogLineParser.parse(lines.get(11)).request();
        assertEquals("GARBAGE", garbage.request());
        assertEquals(400, garbage.status());
        assertNull(garbage.method());
        assertNull(garbage.resource());
        assertNull(garbage.section());

        HttpRequest tls = LogLineParser.parse(lines.get(14)).request();
        assertNull(tls.method());
        assertEquals("\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03", tls.request());
    }

    @Test
    void nginxRequestWithSpaceAndEscapedQuoteInPath() throws IOException {
        List<byte[]> lines = nginxLines();
        HttpRequest spaced = LogLineParser.parse(lines.get(12)).request();
        assertEquals("/with space", spaced.resource());
        HttpRequest quoted = LogLineParser.parse(lines.get(13)).request();
        assertEquals("/q\"uote\\x1B[2J", quoted.resource());
    }

    @Test
    void apacheCombinedExampleFromItsDocumentation() {
        HttpRequest r = request("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 "
                + "2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"");
        assertEquals("frank", r.user());
        assertEquals(Instant.parse("2000-10-10T20:55:36Z").toEpochMilli(), r.timestamp());
        assertEquals("2000-10-10T13:55:36-07:00", r.time());
        assertEquals("/apache_pb.gif", r.section());
        assertEquals(2326L, r.bytes());
        assertEquals("Mozilla/4.08 [en] (Win98; I ;Nav)", r.userAgent());
    }

    @Test
    void apacheCommonWithDashBytesAndBackslashEscapedQuote() {
        HttpRequest r = request("2001:db8::ff00:42:8329 - - [09/May/2018:16:00:39 +0000] "
                + "\"GET /say?q=\\\"hi\\\" HTTP/1.1\" 304 -");
        assertEquals("2001:db8::ff00:42:8329", r.host());
        assertNull(r.bytes());
        assertEquals("/say?q=\"hi\"", r.resource());
        assertEquals("/say", r.section());
        assertNull(r.referrer());
        assertNull(r.userAgent());
    }

    @Test
    void theOriginalMonitorsSampleLine() {
        HttpRequest r = request("127.0.0.1 - james [09/May/2018:16:00:39 +0000] \"GET /report HTTP/1.0\" 200 123");
        assertEquals("james", r.user());
        assertEquals("/report", r.section());
        assertEquals(Instant.parse("2018-05-09T16:00:39Z").toEpochMilli(), r.timestamp());
        assertEquals("2018-05-09T16:00:39+00:00", r.time());
    }

    @ParameterizedTest
    @CsvSource({
        "/pages/create, /pages",
        "/, /",
        "/pages, /pages",
        "/pages?x=1, /pages",
        "/?q=1, /",
        "/a/b/c, /a",
        "http://example.com/api/v1, /api",
        "http://example.com, /",
    })
    void sectionIsWhatPrecedesTheSecondSlash(String resource, String section) {
        assertEquals(section, LogLineParser.section(resource));
    }

    @Test
    void sectionOfANonPathIsNull() {
        assertNull(LogLineParser.section("*"));
        assertNull(LogLineParser.section(null));
    }

    @Test
    void httpZeroNineRequestHasNoProtocol() {
        HttpRequest r = request("10.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET /old\" 200 10");
        assertEquals("GET", r.method());
        assertEquals("/old", r.resource());
        assertNull(r.protocol());
    }

    @Test
    void extraFieldsAfterTheUserAgentAreIgnored() {
        HttpRequest r = request("10.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"ua\" "
                + "0.003 \"upstream\"");
        assertEquals("ua", r.userAgent());
    }

    @Test
    void timeZonesAndLeapDays() {
        assertEquals(
                Instant.parse("2024-02-29T23:30:00Z").toEpochMilli(),
                request("h - - [01/Mar/2024:01:00:00 +0130] \"GET / HTTP/1.1\" 200 1")
                        .timestamp());
        assertEquals(
                Instant.parse("1999-12-31T23:59:59Z").toEpochMilli(),
                request("h - - [31/dec/1999:23:59:59 +0000] \"GET / HTTP/1.1\" 200 1")
                        .timestamp());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "127.0.0.1",
                "127.0.0.1 - -",
                "127.0.0.1 - - 09/May/2018:16:00:39 +0000 \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000 \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [30/Feb/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [09/Foo/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [09/May/2018:25:00:39 +0000] \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [2018-05-09T16:00:39Z] \"GET / HTTP/1.1\" 200 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] GET / HTTP/1.1 200 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1 200 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" OK 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 2000 1",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200",
                "127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 12k",
                " 127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1",
            })
    void malformedLinesAreRejectedWithAReason(String line) {
        String reason = error(line);
        assertFalse(reason.isBlank());
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertEquals("empty line", error(""));
        assertTrue(error("127.0.0.1 - - [09/May/2018:16:00:39 +0000] \"GET / HTTP/1.1\" OK 1")
                .contains("'OK'"));
        assertTrue(error("127.0.0.1 - - [30/Feb/2018:16:00:39 +0000] \"GET / HTTP/1.1\" 200 1")
                .contains("time"));
    }

    @Test
    void neverThrowsOnRandomBytesOrMutatedLines() {
        Random random = new Random(42);
        byte[] valid = ("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 2326 \"r\" \"u\"")
                .getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20_000; round++) {
            byte[] line;
            if (round % 2 == 0) {
                line = new byte[random.nextInt(200)];
                random.nextBytes(line);
            } else {
                line = valid.clone();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    line[random.nextInt(line.length)] = (byte) random.nextInt(256);
                }
                line = java.util.Arrays.copyOf(line, random.nextInt(line.length + 1));
            }
            LogLineParser.Result result = LogLineParser.parse(line);
            assertTrue(result.isRequest() ^ result.error() != null);
        }
    }
}
