package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs in other formats than combined, end to end through {@code ./httpmon --once} and the real broker: the format is
 * recognised (and said), every request is counted in its window, and the response-time quantiles equal the exact
 * ones computed here from the same requests, within the stated 1%. A log that yields nothing says so and exits 3.
 */
class LogFormatsIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final String CONFIG = "[Stats]\ninterval = 10\n[Alerts]\n";
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter W3C_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HAPROXY =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** One request as the oracle knows it. */
    record Req(long second, String client, String path, int status, long bytes, long micros) {}

    static List<Req> requests(int n, long seed) {
        Random random = new Random(seed);
        List<Req> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Req(
                    i * 60L / n,
                    "10.0." + random.nextInt(4) + "." + random.nextInt(200),
                    "/" + List.of("api", "img", "shop").get(random.nextInt(3)) + "/" + random.nextInt(20),
                    List.of(200, 200, 200, 404, 500).get(random.nextInt(5)),
                    random.nextInt(10_000),
                    1000 + (long) Math.exp(8 + 1.5 * random.nextGaussian())));
        }
        return list;
    }

    static final Map<String, Function<Req, String>> WRITERS = Map.of(
            "caddy",
                    r -> String.format(
                            Locale.ROOT,
                            "{\"level\":\"info\",\"ts\":%d.25,\"logger\":\"http.log.access\","
                                    + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"%s\",\"client_ip\":\"%s\",\"proto\":"
                                    + "\"HTTP/1.1\",\"method\":\"GET\",\"host\":\"shop.example.com\",\"uri\":\"%s\",\"headers\":"
                                    + "{\"User-Agent\":[\"curl/8\"]}},\"user_id\":\"\",\"duration\":%d.%06d,\"size\":%d,\"status\":%d}",
                            T0.getEpochSecond() + r.second(),
                            r.client(),
                            r.client(),
                            r.path(),
                            r.micros() / 1_000_000,
                            r.micros() % 1_000_000,
                            r.bytes(),
                            r.status()),
            "w3c",
                    r -> String.format(
                            Locale.ROOT,
                            "%s 10.9.0.1 GET %s - 443 - %s Mozilla/5.0+(X11) - %d 0 0 %d",
                            W3C_DATE.format(T0.plusSeconds(r.second())),
                            r.path(),
                            r.client(),
                            r.status(),
                            r.micros() / 1000),
            "awsalb",
                    r -> String.format(
                            Locale.ROOT,
                            "https %s app/lb/1 %s:4000 10.1.0.1:80 0.000 %d.%06d 0.000 %d %d "
                                    + "100 %d \"GET https://shop.example.com:443%s HTTP/1.1\" \"curl/8\" c TLSv1.2 arn:tg \"Root=1\" "
                                    + "\"shop.example.com\" \"arn:c\" 0 %s \"forward\" \"-\" \"-\" \"10.1.0.1:80\" \"%d\" \"-\" \"-\"",
                            T0.plusSeconds(r.second()),
                            r.client(),
                            r.micros() / 1_000_000,
                            r.micros() % 1_000_000,
                            r.status(),
                            r.status(),
                            r.bytes(),
                            r.path(),
                            T0.plusSeconds(r.second()),
                            r.status()),
            "haproxy",
                    r -> String.format(
                            Locale.ROOT,
                            "Nov 30 10:00:00 lb haproxy[7]: %s:4000 [%s] fe be/s1 0/0/1/2/%d "
                                    + "%d %d - - ---- 1/1/0/0/0 0/0 \"GET %s HTTP/1.1\"",
                            r.client(),
                            HAPROXY.format(T0.plusSeconds(r.second())),
                            r.micros() / 1000,
                            r.status(),
                            r.bytes(),
                            r.path()),
            "nginx-timed",
                    r -> String.format(
                            Locale.ROOT,
                            "%s - - [%s] \"GET %s HTTP/1.1\" %d %d \"-\" \"curl/8\" %d.%03d",
                            r.client(),
                            CLF.format(T0.plusSeconds(r.second())),
                            r.path(),
                            r.status(),
                            r.bytes(),
                            r.micros() / 1_000_000,
                            r.micros() / 1000 % 1000));

    /** What each format's response time keeps of the exact time: W3C, HAProxy and nginx log whole milliseconds. */
    static long logged(String format, long micros) {
        return format.equals("caddy") || format.equals("awsalb") ? micros : micros / 1000 * 1000;
    }

    @ParameterizedTest(name = "{0}")
    // every preset: FormatConformanceTest, AutoDetectionTest; "caddy.gz": a rotated archive, read decompressed
    @ValueSource(strings = {"caddy", "w3c", "nginx-timed", "caddy.gz"})
    void eachFormatIsCountedWithItsResponseTimes(String logFile) throws Exception {
        boolean gzip = logFile.endsWith(".gz");
        String format = logFile.replace(".gz", "");
        List<Req> reqs = requests(300, logFile.hashCode());
        List<String> lines = new ArrayList<>();
        if (format.equals("w3c")) {
            lines.add("#Software: Microsoft Internet Information Services 10.0");
            lines.add("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
                    + "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken");
        }
        reqs.forEach(r -> lines.add(WRITERS.get(format).apply(r)));
        Path log = dir.resolve(format + ".log" + (gzip ? ".1.gz" : ""));
        if (gzip) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(log))) {
                out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } else {
            Files.write(log, lines);
        }
        String config = CONFIG;
        if (format.equals("nginx-timed")) {
            // The site's own log_format, pasted as it stands in nginx.conf.
            config += "[Log]\nformat = log_format timed '$remote_addr - $remote_user [$time_local] \"$request\" "
                    + "$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time';\n";
        }
        Path cfg = Files.writeString(dir.resolve(logFile + ".cfg"), config);

        MonitorCliIT.Run run = MonitorCliIT.run(dir, "-f", log.toString(), "-c", cfg.toString(), "--once");
        assertEquals(0, run.exit(), run.stderr());
        if (!format.equals("nginx-timed")) {
            assertTrue(
                    run.stderr().contains("Log format of " + log + ": " + format + " (auto-detected from"),
                    run.stderr());
        }
        assertFalse(run.stderr().contains("were not requests"), run.stderr());

        TreeMap<Long, List<Req>> byWindow = new TreeMap<>();
        reqs.forEach(r -> byWindow.computeIfAbsent(r.second() / 10 * 10, w -> new ArrayList<>())
                .add(r));
        List<JsonNode> windows = new ArrayList<>();
        for (String line : run.stdout().lines().toList()) {
            windows.add(Json.MAPPER.readTree(line));
        }
        assertEquals(byWindow.size(), windows.size(), run.stdout());
        int i = 0;
        for (Map.Entry<Long, List<Req>> e : byWindow.entrySet()) {
            JsonNode w = windows.get(i++);
            String where = format + " " + w;
            assertEquals(
                    T0.plusSeconds(e.getKey()).toString(), w.get("window_start").asText(), where);
            assertEquals(e.getValue().size(), w.get("hits").asLong(), where);
            assertEquals(
                    e.getValue().stream().filter(r -> r.status() >= 500).count(),
                    w.get("status_codes").get("5xx").asLong(),
                    where);
            long bytes = format.equals("w3c")
                    ? 0
                    : e.getValue().stream().mapToLong(Req::bytes).sum(); // IIS: no sc-bytes
            assertEquals(bytes, w.get("bytes").asLong(), where);
            long[] sorted = e.getValue().stream()
                    .mapToLong(r -> logged(format, r.micros()))
                    .sorted()
                    .toArray();
            JsonNode rt = w.get("response_time_ms");
            assertEquals(sorted.length, rt.get("count").asLong(), where);
            assertWithin(exact(sorted, 0.5), rt.get("p50").asDouble(), where);
            assertWithin(exact(sorted, 0.99), rt.get("p99").asDouble(), where);
            assertWithin(sorted[sorted.length - 1] / 1000.0, rt.get("max").asDouble(), where);
        }
    }

    @Test
    void aLogThatYieldsNothingSaysSoWithTheFirstBadLineAndAHint() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.log"), List.of("\u001b[31mnot a request\u001b[0m", "nor this"));
        MonitorCliIT.Run run = MonitorCliIT.run(dir, "-f", garbage.toString(), "--once");
        assertEquals(3, run.exit(), run.stderr());
        assertTrue(
                run.stderr().contains("httpmon: nothing valid to process: none of the 2 lines of " + garbage),
                run.stderr());
        assertTrue(run.stderr().contains("line 1: `\\x1B[31mnot a request\\x1B[0m`"), "escaped: " + run.stderr());
        assertFalse(run.stderr().contains("\u001b"), "no raw control character reaches the terminal");
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());

        // A Caddy log read as combined: it says which format to set.
        Path caddy = Files.write(
                dir.resolve("caddy.log"),
                requests(20, 1).stream().map(WRITERS.get("caddy")).toList());
        MonitorCliIT.Run wrong = MonitorCliIT.run(dir, "-f", caddy.toString(), "--once", "--log-format", "combined");
        assertEquals(3, wrong.exit(), wrong.stderr());
        assertTrue(wrong.stderr().contains("20 of 20 lines read so far were not requests"), wrong.stderr());
        assertTrue(wrong.stderr().contains("These look like caddy: set [Log] format = caddy"), wrong.stderr());

        // A bad format string is one line naming where it came from, exit 2, nothing started.
        Path cfg = Files.writeString(dir.resolve("bad.cfg"), "[Log]\nformat = $remote_addr $status\n");
        MonitorCliIT.Run bad = MonitorCliIT.run(dir, "-f", caddy.toString(), "--once", "-c", cfg.toString());
        assertEquals(2, bad.exit(), bad.stderr());
        assertTrue(
                bad.stderr().contains(cfg + ":2: [Log] format = $remote_addr $status: the format lacks the time"),
                bad.stderr());
    }

    /** The {@code ceil(q * n)}-th smallest, in milliseconds. */
    private static double exact(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1000.0;
    }

    private static void assertWithin(double exact, double sketched, String where) {
        assertTrue(
                Math.abs(sketched - exact) <= 0.01 * exact + 0.001,
                "sketch " + sketched + " vs exact " + exact + ": " + where);
    }
}
