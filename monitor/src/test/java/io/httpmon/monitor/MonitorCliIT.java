package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end through the real command line ({@code ./httpmon}) and the real embedded broker: a generated file with
 * known traffic replayed with {@code --once} prints exactly the windows and alert transitions it implies, computed
 * here independently from the file itself.
 */
class MonitorCliIT {

    private static final Path LAUNCHER =
            Path.of("..", "httpmon").toAbsolutePath().normalize();
    private static final String CONFIG = """
            [Stats]
            interval = 10
            [Alerts]
            alert_1 = 10, 30
            alert_2 = 20, 10
            [Output]
            displayer = stdout
            """;
    private static final Pattern CLF =
            Pattern.compile("^\\S+ \\S+ \\S+ \\[([^\\]]+)\\] \"(\\S+) [^\"]*\" (\\d{3}) (\\S+)");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    @TempDir
    static Path dir;

    static Path log;
    static Path config;

    record Run(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void generate() throws Exception {
        log = dir.resolve("access.log");
        // Quiet, a burst that fires both rules, quiet again long enough for both to recover.
        Run gen = run("generate", "-o", log.toString(), "--fast", "--phases", "60s@2,40s@40,60s@2", "--seed", "5");
        assertEquals(0, gen.exit(), gen.stderr());
        config = Files.writeString(dir.resolve("httpmon.cfg"), CONFIG);
    }

    @Test
    void onceReplayPrintsExactlyTheWindowsAndAlertsTheFileImplies() throws Exception {
        Run run = run("-f", log.toString(), "-c", config.toString(), "--once");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().startsWith("httpmon: monitoring " + log), run.stderr());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());

        List<String> lines = run.stdout().lines().toList();
        List<String> expectedAlerts = new ArrayList<>();
        List<Expected> expected = expected(Files.readAllLines(log), expectedAlerts);
        assertEquals(4, expectedAlerts.size(), "the traffic fires and recovers both rules: " + expectedAlerts);
        assertEquals(expected.size(), lines.size(), run.stdout());
        for (int i = 0; i < lines.size(); i++) {
            Expected want = expected.get(i);
            String line = lines.get(i);
            if (want.alert() != null) {
                assertEquals(want.alert(), line, "line " + (i + 1));
                continue;
            }
            JsonNode stats = Json.MAPPER.readTree(line);
            Window w = want.window();
            String where = "line " + (i + 1) + ": " + line;
            assertEquals(iso(w.start), stats.get("window_start").asText(), where);
            assertEquals(iso(w.start + 10), stats.get("window_end").asText(), where);
            assertEquals(iso(w.start + 10), stats.get("time").asText(), where);
            assertEquals(w.hits, stats.get("hits").asLong(), where);
            assertEquals(w.hits / 10.0, stats.get("tps").asDouble(), 1e-9, where);
            assertEquals(w.bytes, stats.get("bytes").asLong(), where);
            for (Map.Entry<String, Long> c : w.classes.entrySet()) {
                assertEquals(
                        c.getValue().longValue(),
                        stats.get("status_codes").path(c.getKey()).asLong(),
                        where);
            }
            for (Map.Entry<String, Long> m : w.methods.entrySet()) {
                assertEquals(
                        m.getValue().longValue(),
                        stats.get("methods").path(m.getKey()).asLong(),
                        where);
            }
            assertEquals(0, stats.get("late").asLong(), where);
            assertEquals(3, stats.get("most_hits").size(), where);
        }

        // The same replay into a file: appended after what the file held, line for line what stdout showed.
        Path out = Files.writeString(dir.resolve("out.txt"), "an earlier line\n");
        Run toFile = run(
                "-f",
                log.toString(),
                "-c",
                config.toString(),
                "--once",
                "--output",
                "file",
                "--output-file",
                out.toString());
        assertEquals(0, toFile.exit(), toFile.stderr());
        assertEquals("", toFile.stdout());
        assertEquals("an earlier line\n" + run.stdout(), Files.readString(out));
    }

    /**
     * The launcher records a class-data archive of the monitor once per build of its jar, and later starts map it
     * (with {@code -Xshare:on} a start that could not would fail): the same output as a start without one, and no
     * word from the JVM about it on either stream.
     */
    @Test
    void theLauncherRecordsTheClassDataArchiveOnceAndAReplayStartedFromItPrintsTheSame() throws Exception {
        Path archive = LAUNCHER.resolveSibling("monitor").resolve("target").resolve("httpmon.jsa");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(archive.resolveSibling("httpmon.jsa.failed"));
        String[] replay = {"-f", log.toString(), "-c", config.toString(), "--once"};
        Run without = run(replay);
        assertEquals(0, without.exit(), without.stderr());
        assertFalse(Files.exists(archive), "a test run (HTTPMON_NO_BUILD) records none by itself");

        Run recording = run(dir, Map.of("HTTPMON_CDS", "1"), replay);
        assertEquals(0, recording.exit(), recording.stderr());
        assertTrue(recording.stderr().startsWith("httpmon: recording the class-data archive"), recording.stderr());
        assertTrue(Files.size(archive) > 1_000_000, "the archive: " + Files.size(archive) + " bytes");

        Run mapped = run(dir, Map.of("HTTPMON_CDS", "1", "HTTPMON_JAVA_EXTRA_OPTS", "-Xshare:on"), replay);
        assertEquals(0, mapped.exit(), mapped.stderr());
        assertTrue(mapped.stderr().startsWith("httpmon: monitoring " + log), "recorded once: " + mapped.stderr());
        for (Run run : List.of(recording, mapped)) {
            assertEquals(without.stdout(), run.stdout());
            assertFalse(run.stderr().contains("[warning]") || run.stderr().contains("cds"), run.stderr());
        }
    }

    /**
     * The same traffic from two web servers (the log's lines split between them, one file gzipped as a rotated
     * archive is): each file is a source, the replay prints what the one file printed, each window saying what each
     * server contributed, and it ends once both have ended.
     */
    @Test
    void twoServersLogsReplayAsTheSiteTheyMakeTogether() throws Exception {
        List<String> all = Files.readAllLines(log);
        Path web1 = dir.resolve("web1.access.log.gz");
        Path web2 = dir.resolve("web2.access.log");
        try (var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(
                        new java.util.zip.GZIPOutputStream(Files.newOutputStream(web1)), StandardCharsets.UTF_8));
                var out2 = Files.newBufferedWriter(web2)) {
            for (int i = 0; i < all.size(); i++) {
                if (i % 3 == 0) {
                    out.print(all.get(i) + "\n");
                } else {
                    out2.write(all.get(i) + "\n");
                }
            }
        }
        Run one = run("-f", log.toString(), "-c", config.toString(), "--once");
        Run two = run("-f", web1.toString(), "-f", web2.toString(), "-c", config.toString(), "--once");
        assertEquals(0, two.exit(), two.stderr());
        assertTrue(two.stderr().contains("End of input of 2 sources"), two.stderr());
        List<String> expected = one.stdout().lines().toList();
        List<String> got = two.stdout().lines().toList();
        assertEquals(expected.size(), got.size(), two.stdout());
        for (int i = 0; i < got.size(); i++) {
            if (!got.get(i).startsWith("{")) {
                assertEquals(expected.get(i), got.get(i), "alert line " + (i + 1));
                continue;
            }
            var window = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(got.get(i));
            JsonNode sources = window.remove("sources");
            assertEquals(Json.MAPPER.readTree(expected.get(i)), window, "line " + (i + 1));
            if (window.get("hits").asLong() > 10) {
                assertEquals(2, sources.size(), "both servers in line " + (i + 1) + ": " + sources);
                long sum = 0;
                for (JsonNode s : sources) {
                    sum += s.get("hits").asLong();
                }
                assertEquals(window.get("hits").asLong(), sum, "line " + (i + 1));
            }
        }
    }

    @Test
    void terminalEscapesFromTheLogArePrintedEscaped() throws Exception {
        String[] paths = {"/\u001b[2J\u001b[31mred", "/x\u001b]0;owned\u0007", "/\u202Eevil", "/del\u007f"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < paths.length; i++) {
            text.append("10.0.0.")
                    .append(i + 1)
                    .append(" - - [01/Jan/2026:00:00:0")
                    .append(i)
                    .append(" +0000] \"GET ")
                    .append(paths[i])
                    .append(" HTTP/1.1\" 200 10\n");
        }
        Path hostile = Files.writeString(dir.resolve("hostile.log"), text.toString());
        Run run = run("-f", hostile.toString(), "-c", config.toString(), "--once");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().contains("\"hits\":4"), run.stdout());
        assertFalse(
                run.stdout().chars().anyMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f || c == 0x202E),
                "a control character reached stdout: " + run.stdout());
        assertTrue(run.stdout().contains("\\u001B[2J"), run.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown section | [Statistics]\\ninterval = 10\\n | :1: unknown section [Statistics]; accepted: [Log], [Stats], [Stats NAME], [Alerts], [Alert NAME], [Output], [Logging], [Kafka], [Alertmanager]
            unknown key     | [Stats]\\ninterval = 10\\ncolour = red\\n | :3: [Stats] colour: unknown key; [Stats] accepts grace, interval, max_future, max_lateness, source_idle, top
            bad threshold   | [Alerts]\\nalert_1 = ten, 120\\n | :2: [Alerts] alert_1 = ten, 120: the threshold 'ten' is not a number
            negative window | [Alerts]\\nalert_1 = 10, -120\\n | :2: [Alerts] alert_1 = 10, -120: the window must be 1 to 86400 seconds, got -120
            bad displayer   | [Output]\\ndisplayer = printer\\n | :2: [Output] displayer = printer: expected stdout, log or file
            file no name    | [Output]\\ndisplayer = file\\n | :2: [Output] displayer = file: needs file_name = PATH in [Output]
            bad rule kind   | [Alert x]\\nkind = ddos\\nthreshold = 1\\nwindow = 5\\n | :2: [Alert x] kind = ddos: expected high_traffic, low_traffic, error_ratio, status_rate, client_rate or latency
            bad recovery    | [Alert x]\\nthreshold = 10\\nwindow = 60\\nrecover_below = 20\\n | :4: [Alert x] recover_below = 20: recover_below must be above 0 and at most the threshold (10.0), got 20.0
            """)
    void everyConfigMistakeIsOneMessageAndExitCode2(String name, String text, String message) throws Exception {
        Path bad = Files.writeString(dir.resolve(name.replace(' ', '-') + ".cfg"), text.replace("\\n", "\n"));
        Run run = run("-f", log.toString(), "-c", bad.toString(), "--once");
        assertEquals(2, run.exit(), run.stderr());
        assertTrue(run.stderr().startsWith("httpmon: " + bad + message), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void aReplayEndsWithItsOutputWholeAndLeavesNoWorkDirectoryBehind() throws Exception {
        // The replay's broker and streams are left running at its end and the JVM halted; a process started for it
        // deletes the work directory once the JVM is gone.
        Path tmp = Files.createDirectories(dir.resolve("replay-tmp"));
        Run quick = run(
                dir,
                Map.of("HTTPMON_JAVA_EXTRA_OPTS", "-Djava.io.tmpdir=" + tmp),
                "-f",
                log.toString(),
                "-c",
                config.toString(),
                "--once");
        assertEquals(0, quick.exit(), quick.stderr());
        assertFalse(quick.stderr().contains("\tat "), "no stack trace: " + quick.stderr());
        Run again = run("-f", log.toString(), "-c", config.toString(), "--once");
        assertEquals(again.stdout(), quick.stdout(), "the same output at every replay");
        assertTrue(quick.stdout().lines().count() > 10, quick.stdout());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Path> left;
        do {
            try (var entries = Files.list(tmp)) {
                left = entries.filter(p -> p.getFileName().toString().startsWith("httpmon-once-"))
                        .toList();
            }
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left, "the replay's work directory is deleted after its exit");
    }

    @Test
    void theMonitorServesTheDashboardWithEverySecondOfTheLog() throws Exception {
        TreeMap<String, Integer> perSecond = new TreeMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = CLF.matcher(line);
            assertTrue(m.find(), line);
            perSecond.merge(
                    ZonedDateTime.parse(m.group(1), CLF_TIME).toInstant().toString(), 1, Integer::sum);
        }
        List<String> command = List.of(
                LAUNCHER.toString(), "-f", log.toString(), "-c", config.toString(), "--from-beginning", "--http", "0");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("HTTPMON_NO_BUILD", "1");
        builder.environment()
                .put(
                        "JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment()
                .put("XDG_STATE_HOME", dir.resolve("dashboard-state").toString());
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        Process process = builder.start();
        try {
            Pattern url = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String page = null;
            while (page == null && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(200);
                Matcher m = url.matcher(Files.readString(stderr));
                page = m.find() ? m.group(1) : null;
            }
            assertTrue(page != null, "the banner gives the dashboard's address: " + Files.readString(stderr));
            var http = java.net.http.HttpClient.newHttpClient();
            var index = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(page))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("<script src=\"dashboard.js\"></script>"), index.body());
            // Every second of the log, as the page gets it on connect.
            TreeMap<String, Integer> shown = new TreeMap<>();
            while (!shown.equals(perSecond) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                JsonNode history = Json.MAPPER.readTree(http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "api/history"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body());
                shown.clear();
                history.get("seconds")
                        .forEach(r -> shown.put(
                                r.get("second").asText(), r.get("hits").asInt()));
            }
            assertEquals(perSecond, shown);
            // Beside the page: one /metrics and one /health for every service of the monitor.
            int lines = perSecond.values().stream().mapToInt(Integer::intValue).sum();
            String metrics = "";
            while (!metrics.contains("httpmon_parser_requests_total " + lines + ".0") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                metrics = http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "metrics"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
            }
            assertTrue(metrics.contains("httpmon_reader_lines_total " + lines + ".0"), metrics);
            assertTrue(metrics.contains("httpmon_parser_requests_total " + lines + ".0"), metrics);
            for (String service : List.of("reader", "stats", "alert", "display")) {
                assertTrue(
                        metrics.contains("httpmon_service_ready{service=\"" + service + "\"} 1.0"),
                        service + " is ready: " + metrics);
            }
            var health = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "health"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the monitor stops on SIGTERM");
        }
    }

    @Test
    void aMissingConfigFileIsAnError() throws Exception {
        Run run = run("-f", log.toString(), "-c", dir.resolve("missing.cfg").toString());
        assertEquals(2, run.exit());
        assertEquals("httpmon: " + dir.resolve("missing.cfg") + ": no such config file\n", run.stderr());
    }

    /** What the file implies, in print order: each 10 s window at its end, each alert at its second. */
    private static List<Expected> expected(List<String> lines, List<String> alerts) {
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        TreeMap<Long, Window> windows = new TreeMap<>();
        for (String line : lines) {
            Matcher m = CLF.matcher(line);
            assertTrue(m.find(), line);
            long second = ZonedDateTime.parse(m.group(1), CLF_TIME).toEpochSecond();
            perSecond.merge(second, 1L, Long::sum);
            Window w = windows.computeIfAbsent(second - Math.floorMod(second, 10), Window::new);
            w.hits++;
            w.methods.merge(m.group(2), 1L, Long::sum);
            w.classes.merge(m.group(3).charAt(0) + "xx", 1L, Long::sum);
            w.bytes += m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4));
        }
        List<Expected> out = new ArrayList<>();
        windows.values().forEach(w -> out.add(new Expected(w.start + 10, 0, w, null)));
        // The rules of CONFIG, second by second over the file's time span.
        for (long[] rule : new long[][] {{10, 30}, {20, 10}}) {
            boolean firing = false;
            for (long s = perSecond.firstKey(); s <= perSecond.lastKey(); s++) {
                long sum = 0;
                for (long t = s - rule[1] + 1; t <= s; t++) {
                    sum += perSecond.getOrDefault(t, 0L);
                }
                double average = (double) sum / rule[1];
                if (!firing && average >= rule[0]) {
                    firing = true;
                    String text = "High traffic generated an alert - hits = " + (long) Math.floor(average)
                            + ", triggered at " + iso(s);
                    alerts.add(text);
                    out.add(new Expected(s, 1, null, text));
                } else if (firing && average < rule[0]) {
                    firing = false;
                    String text = "High traffic alert recovered at " + iso(s);
                    alerts.add(text);
                    out.add(new Expected(s, 1, null, text));
                }
            }
        }
        out.sort(Comparator.comparingLong(Expected::time).thenComparingInt(Expected::order));
        return out;
    }

    record Expected(long time, int order, Window window, String alert) {}

    static final class Window {
        final long start;
        long hits;
        long bytes;
        final Map<String, Long> classes = new TreeMap<>();
        final Map<String, Long> methods = new TreeMap<>();

        Window(long start) {
            this.start = start;
        }
    }

    private static String iso(long epochSecond) {
        return java.time.Instant.ofEpochSecond(epochSecond).toString();
    }

    static Run run(String... args) throws IOException, InterruptedException {
        return run(dir, args);
    }

    /** Runs {@code ./httpmon ARGS} in {@code dir} with its own state directory. */
    static Run run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    /** Runs {@code ./httpmon ARGS} in {@code dir} with its own state directory and {@code env} besides. */
    static Run run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("HTTPMON_NO_BUILD", "1");
        builder.environment().putAll(env);
        builder.environment()
                .put(
                        "JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "./httpmon " + String.join(" ", args) + " did not finish in 180 s: " + Files.readString(stderr));
        }
        return new Run(
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
