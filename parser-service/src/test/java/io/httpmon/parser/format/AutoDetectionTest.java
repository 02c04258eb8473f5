package io.httpmon.parser.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.httpmon.common.config.LoggingSetup;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.parser.LogLineParser.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** Auto-detection picks each preset from its own lines, and picks again when a rotated file is in another format. */
class AutoDetectionTest {

    /** A few lines of each preset (two distinct requests each), as its server writes them. */
    static final Map<String, List<String>> SAMPLES = Map.ofEntries(
            Map.entry(
                    "combined",
                    List.of(
                            "10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"",
                            "10.0.0.2 - ann [02/Dec/2026:10:00:01 +0000] \"GET /a/b HTTP/1.1\" 404 0 \"-\" \"Mozilla/5.0\"")),
            Map.entry(
                    "common",
                    List.of(
                            "10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5",
                            "10.0.0.2 - - [02/Dec/2026:10:00:01 +0000] \"POST /login HTTP/1.1\" 302 -")),
            Map.entry(
                    "vhost_combined",
                    List.of(
                            "example.com:80 10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"",
                            "example.com:443 10.0.0.2 - - [02/Dec/2026:10:00:01 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"curl/8\"")),
            Map.entry(
                    "caddy",
                    List.of(
                            "{\"level\":\"info\",\"ts\":1796205600.1,\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.0.1\","
                                    + "\"method\":\"GET\",\"uri\":\"/\",\"proto\":\"HTTP/1.1\",\"host\":\"a\"},\"duration\":0.01,\"size\":5,"
                                    + "\"status\":200}",
                            "{\"level\":\"info\",\"ts\":1796205601.1,\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.0.2\","
                                    + "\"method\":\"GET\",\"uri\":\"/x\",\"proto\":\"HTTP/1.1\",\"host\":\"a\"},\"duration\":0.02,\"size\":5,"
                                    + "\"status\":404}")),
            Map.entry(
                    "nginx-json",
                    List.of(
                            "{\"time_iso8601\":\"2026-12-02T10:00:00+00:00\",\"remote_addr\":\"10.0.0.1\",\"request\":\"GET / HTTP/1.1\","
                                    + "\"status\":200,\"body_bytes_sent\":5,\"request_time\":0.001}",
                            "{\"time_iso8601\":\"2026-12-02T10:00:01+00:00\",\"remote_addr\":\"10.0.0.2\",\"request\":\"GET /x HTTP/1.1\","
                                    + "\"status\":500,\"body_bytes_sent\":5,\"request_time\":0.5}")),
            Map.entry(
                    "awsalb",
                    List.of(
                            "http 2026-12-02T10:00:00.000000Z app/lb/1 10.0.0.1:1 10.1.0.1:80 0.000 0.001 0.000 200 200 10 5 "
                                    + "\"GET http://a:80/ HTTP/1.1\" \"curl/8\" - - arn:tg \"Root=1\" \"-\" \"-\" 0 "
                                    + "2026-12-02T10:00:00.000000Z \"forward\" \"-\" \"-\" \"10.1.0.1:80\" \"200\" \"-\" \"-\"",
                            "https 2026-12-02T10:00:01.000000Z app/lb/1 10.0.0.2:1 10.1.0.1:80 0.000 0.002 0.000 404 404 10 5 "
                                    + "\"GET https://a:443/x HTTP/1.1\" \"curl/8\" c p arn:tg \"Root=2\" \"a\" \"arn:c\" 0 "
                                    + "2026-12-02T10:00:01.000000Z \"forward\" \"-\" \"-\" \"10.1.0.1:80\" \"404\" \"-\" \"-\"")),
            Map.entry(
                    "awselb",
                    List.of(
                            "2026-12-02T10:00:00.000000Z lb 10.0.0.1:1 10.1.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "
                                    + "\"GET http://a:80/ HTTP/1.1\" \"curl/8\" - -",
                            "2026-12-02T10:00:01.000000Z lb 10.0.0.2:1 10.1.0.1:80 0.000073 0.001048 0.000057 404 404 0 29 "
                                    + "\"GET http://a:80/x HTTP/1.1\" \"curl/8\" - -")),
            Map.entry(
                    "cloudfront",
                    List.of(
                            "#Version: 1.0",
                            "2026-12-02\t10:00:00\tLAX1\t392\t10.0.0.1\tGET\td1.cloudfront.net\t/index.html\t200\t-\tcurl/8\t-\t-\tHit\t"
                                    + "id\td1.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tc\tHit\tHTTP/2.0\t-\t-\t1\t0.001\tHit\ttext/html"
                                    + "\t78\t-\t-",
                            "2026-12-02\t10:00:01\tLAX1\t392\t10.0.0.2\tGET\td1.cloudfront.net\t/x\t404\t-\tcurl/8\t-\t-\tError\t"
                                    + "id\td1.cloudfront.net\thttps\t23\t0.002\t-\tTLSv1.2\tc\tError\tHTTP/2.0\t-\t-\t1\t0.001\tError\t"
                                    + "text/html\t78\t-\t-")),
            Map.entry(
                    "w3c",
                    List.of(
                            "#Software: Microsoft Internet Information Services 10.0",
                            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
                                    + "cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
                            "2026-12-02 10:00:00 10.9.0.1 GET / - 80 - 10.0.0.1 curl/8 - 200 0 0 15",
                            "2026-12-02 10:00:01 10.9.0.1 GET /x - 80 - 10.0.0.2 curl/8 - 404 0 2 3")),
            Map.entry(
                    "haproxy",
                    List.of(
                            "Dec  2 10:00:00 lb haproxy[1]: 10.0.0.1:1 [02/Dec/2026:10:00:00.001] fe be/s1 0/0/1/2/3 200 5 - - ---- "
                                    + "1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
                            "Dec  2 10:00:01 lb haproxy[1]: 10.0.0.2:1 [02/Dec/2026:10:00:01.001] fe be/s1 0/0/1/2/3 404 5 - - ---- "
                                    + "1/1/0/0/0 0/0 \"GET /x HTTP/1.1\"")),
            Map.entry(
                    "traefik",
                    List.of(
                            "10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\" 1 \"r@docker\" "
                                    + "\"http://10.1.0.1:80\" 3ms",
                            "10.0.0.2 - - [02/Dec/2026:10:00:01 +0000] \"GET /x HTTP/1.1\" 404 5 \"-\" \"curl/8\" 2 \"r@docker\" "
                                    + "\"http://10.1.0.1:80\" 1ms")));

    static Stream<Arguments> presets() {
        return LogFormats.presets(ClientPolicy.REMOTE_ADDR).keySet().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void picksEachPresetFromItsOwnLines(String preset) {
        List<String> lines = SAMPLES.get(preset);
        assertTrue(lines != null, "a sample of every preset");
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("access.log", null);
        byte[] chunk = chunk(lines);
        source.prepare(chunk, 0, chunk.length);
        assertEquals(preset, source.format().name());
        int requests = 0;
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            Result r = source.parse(b, 0, b.length);
            assertTrue(r.isRequest() || (r.isSkipped() && line.startsWith("#")), line + ": " + r.error());
            requests += r.isRequest() ? 1 : 0;
        }
        assertEquals(2, requests);
    }

    @Test
    void aCombinedLogWithFieldsAppendedIsNamedCombinedNotCommon() {
        // nginx's combined with $request_time appended: read as combined (the appended field read past), and named so.
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("access.log", null);
        byte[] chunk = chunk(List.of(
                "10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\" 0.012",
                "10.0.0.2 - - [02/Dec/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 200 5 \"https://a/\" \"curl/8\" 1.5"));
        source.prepare(chunk, 0, chunk.length);
        assertEquals("combined", source.format().name());
    }

    @Test
    void picksAgainWhenARotatedFileIsInAnotherFormat() {
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("access.log", null);
        byte[] before = chunk(SAMPLES.get("combined"));
        source.prepare(before, 0, before.length);
        assertEquals("combined", source.format().name());

        byte[] after = chunk(SAMPLES.get("caddy"));
        assertTrue(source.redetect(after, 0, after.length));
        assertEquals("caddy", source.format().name());
        // A chunk with a bad line among good ones does not make it change its mind.
        byte[] mostlyCaddy = chunk(List.of(SAMPLES.get("caddy").get(0), "garbage"));
        assertTrue(!source.redetect(mostlyCaddy, 0, mostlyCaddy.length));
        assertEquals("caddy", source.format().name());
    }

    @Test
    void theParseThreadsOfOneParserSayAFilesFormatOnceAndItsChangeOnce() {
        Logger notices = (Logger) LoggerFactory.getLogger(LoggingSetup.NOTICE);
        ListAppender<ILoggingEvent> said = new ListAppender<>();
        said.start();
        notices.addAppender(said);
        try {
            ConcurrentHashMap<String, String> announced = new ConcurrentHashMap<>();
            List<LogReader.Source> threads = List.of(
                    new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR), announced)
                            .source("access.log", null),
                    new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR), announced)
                            .source("access.log", null));
            byte[] combined = chunk(SAMPLES.get("combined"));
            byte[] caddy = chunk(SAMPLES.get("caddy"));
            for (LogReader.Source source : threads) {
                source.prepare(combined, 0, combined.length);
                assertEquals("combined", source.format().name(), "each thread reads with the format");
            }
            for (LogReader.Source source : threads) {
                assertTrue(source.redetect(caddy, 0, caddy.length));
            }
            LogReader other = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
            other.source("access.log", null).prepare(combined, 0, combined.length); // another parser says its own

            List<String> messages = said.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .map(m -> m.substring(0, m.indexOf(" (")))
                    .toList();
            assertEquals(
                    List.of(
                            "Log format of access.log: combined",
                            "Log format of access.log: caddy",
                            "Log format of access.log: combined"),
                    messages);
        } finally {
            notices.detachAppender(said);
        }
    }

    @Test
    void aFileNoFormatMatchesKeepsNoneAndSaysWhyForEachLine() {
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("access.log", null);
        byte[] chunk = chunk(List.of("hello", "world"));
        source.prepare(chunk, 0, chunk.length);
        assertNull(source.format());
        byte[] line = "hello".getBytes(StandardCharsets.UTF_8);
        Result r = source.parse(line, 0, line.length);
        assertTrue(r.error().contains("no known log format matches"), r.error());
    }

    @Test
    void aHandWrittenNginxJsonFormatWithCommonKeysIsDetectedAndItsTimeReadInEachForm() {
        // log_format json escape=json '{"time":"$time_iso8601","remote_addr":"$remote_addr","method":...}': keys that
        // are not nginx's variable names, as in many a guide's JSON log format.
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("access.json", null);
        List<String> lines = List.of(
                "{\"time\":\"2026-12-02T10:00:00+00:00\",\"remote_addr\":\"10.0.0.1\",\"method\":\"GET\","
                        + "\"url\":\"/a/b?q=1\",\"status_code\":200,\"user_agent\":\"curl/8\",\"referer\":\"http://r/\"}",
                "{\"@timestamp\":\"02/Dec/2026:10:00:01 +0000\",\"client_ip\":\"10.0.0.2\",\"request\":\"GET /x HTTP/1.1\","
                        + "\"status\":404}",
                "{\"timestamp\":1796205602.5,\"remote_addr\":\"10.0.0.3\",\"request\":\"GET /y HTTP/1.1\",\"status\":200}",
                "{\"timestamp\":1796205603000,\"remote_addr\":\"10.0.0.4\",\"request\":\"GET /z HTTP/1.1\",\"status\":200}",
                // Both a variable's own name and a common key: the variable's value is read.
                "{\"time_iso8601\":\"2026-12-02T10:00:04+00:00\",\"time\":\"2020-01-01T00:00:00Z\","
                        + "\"remote_addr\":\"10.0.0.5\",\"client_ip\":\"192.0.2.1\",\"request\":\"GET / HTTP/1.1\",\"status\":200}");
        byte[] chunk = chunk(lines);
        source.prepare(chunk, 0, chunk.length);
        assertEquals("nginx-json", source.format().name());
        List<HttpRequest> read = lines.stream()
                .map(line -> {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    Result r = source.parse(b, 0, b.length);
                    assertTrue(r.isRequest(), line + ": " + r.error());
                    return r.request();
                })
                .toList();
        long t0 = java.time.Instant.parse("2026-12-02T10:00:00Z").toEpochMilli();
        assertEquals(
                List.of(t0, t0 + 1000, t0 + 2500, t0 + 3000, t0 + 4000),
                read.stream().map(HttpRequest::timestamp).toList());
        HttpRequest first = read.get(0);
        assertEquals(
                List.of("GET", "/a/b?q=1", "/a", 200, "curl/8", "http://r/"),
                List.of(
                        first.method(),
                        first.resource(),
                        first.section(),
                        first.status(),
                        first.userAgent(),
                        first.referrer()));
        assertEquals("10.0.0.2", read.get(1).host());
        assertEquals("10.0.0.5", read.get(4).host());
    }

    @Test
    void aJsonLineNoFormatReadsIsToldWhatTheJsonPresetMissedAndWhichKeysItReads() {
        LogReader reader = new LogReader(LogFormats.choose(LogFormats.AUTO, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("app.json", null);
        String line = "{\"when\":\"2026-12-02T10:00:00Z\",\"remote_addr\":\"10.0.0.1\",\"request\":\"GET / HTTP/1.1\","
                + "\"status\":200}";
        byte[] chunk = chunk(List.of(line));
        source.prepare(chunk, 0, chunk.length);
        assertNull(source.format());
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        String error = source.parse(b, 0, b.length).error();
        assertTrue(
                error.startsWith("no time in the line; no known log format matches it either: a JSON log's keys"),
                error);
        assertTrue(error.contains("time_iso8601") && error.contains("set [Log] format"), error);
    }

    @Test
    void aLineOfAnotherFormatGetsAHint() {
        LogReader reader = new LogReader(LogFormats.choose("combined", ClientPolicy.REMOTE_ADDR));
        byte[] line = SAMPLES.get("caddy").get(0).getBytes(StandardCharsets.UTF_8);
        assertEquals("caddy", reader.hint(line, 0, line.length, "combined"));
        byte[] w3c = SAMPLES.get("w3c").get(2).getBytes(StandardCharsets.UTF_8);
        assertEquals("w3c", reader.hint(w3c, 0, w3c.length, "combined"));
    }

    static byte[] chunk(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
