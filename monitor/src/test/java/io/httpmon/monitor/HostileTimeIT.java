package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Json;
import io.httpmon.monitor.MonitorCliIT.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time from the log is input like any other, through the real {@code ./httpmon} (or its jar) and a real broker: a
 * line hours ahead of the clock, a first line from 1971, a historic log followed live and then written with current
 * traffic, a monitor stopped for more than a minute on a quiet log, and UTC offsets that differ or change mid-file.
 */
@ExtendWith(SharedBroker.class)
@Tag("long") // about 3 minutes: run by the long profile (.ci/run), after mvn verify
class HostileTimeIT {

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    @TempDir
    Path dir;

    private static String line(ZonedDateTime at, int n) {
        return "10.0.0." + (n % 50) + " - - [" + CLF.format(at) + "] \"GET /s" + (n % 3) + "/x HTTP/1.1\" 200 10";
    }

    private static String utcLine(long epochSecond, int n) {
        return line(Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC), n);
    }

    private static List<JsonNode> stats(String output) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("{")) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static long sum(List<JsonNode> stats, String field) {
        return stats.stream().mapToLong(w -> w.get(field).asLong()).sum();
    }

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("c" + System.nanoTime() + ".cfg"), text);
    }

    @Test
    void aLineHoursAheadOfTheClockIsADeadLetterCountedAsFutureAndTheRestIsPrinted() throws Exception {
        long now = Instant.now().getEpochSecond();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            lines.add(i == 300 ? utcLine(now + 3 * 3600, i) : utcLine(now - 600 + i, i));
        }
        Path log = Files.write(dir.resolve("ahead.log"), lines);
        Run run = MonitorCliIT.run(
                dir,
                "-f",
                log.toString(),
                "-c",
                config("[Stats]\ninterval = 10\n").toString(),
                "--once");
        assertEquals(0, run.exit(), run.stderr());
        List<JsonNode> stats = stats(run.stdout());
        assertEquals(599, sum(stats, "hits"), "every other line is counted");
        assertEquals(1, sum(stats, "future"), "the line from the future is counted as such");
        assertEquals(0, sum(stats, "late"));
        List<String> warnings = run.stderr()
                .lines()
                .filter(l -> l.contains("ahead of this host's clock"))
                .toList();
        assertEquals(1, warnings.size(), run.stderr());
        assertTrue(
                warnings.get(0).contains("1 request stamped up to 2 h 59 min ahead")
                        || warnings.get(0).contains("1 request stamped up to 3 h 0 min ahead"),
                warnings.get(0));
    }

    @Test
    void aFirstLineFrom1971CostsOneRecordNotFiftyFiveYearsOfWindows() throws Exception {
        List<String> lines = new ArrayList<>(
                List.of(utcLine(Instant.parse("1971-01-01T00:00:00Z").getEpochSecond(), 0)));
        long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 1000; i++) {
            lines.add(utcLine(start + i / 10, i));
        }
        Path log = Files.write(dir.resolve("1971.log"), lines);
        Run run = MonitorCliIT.run(
                dir,
                "-f",
                log.toString(),
                "-c",
                config("[Stats]\ninterval = 10\n[Alerts]\nalert_1 = 5, 30\n").toString(),
                "--once");
        assertEquals(0, run.exit(), run.stderr());
        List<JsonNode> stats = stats(run.stdout());
        assertEquals(1001, sum(stats, "hits"));
        assertEquals("1971-01-01T00:00:00Z", stats.get(0).get("window_start").asText());
        JsonNode gap = stats.get(1);
        assertEquals(0, gap.get("hits").asLong());
        assertEquals("1971-01-01T00:00:10Z", gap.get("window_start").asText());
        assertEquals("2026-01-01T00:00:00Z", gap.get("window_end").asText());
        assertEquals(
                (start - Instant.parse("1971-01-01T00:00:10Z").getEpochSecond()) / 10,
                gap.get("windows").asLong(),
                "one record for the 55 years without traffic");
        assertEquals(2 + 10, stats.size(), run.stdout());
        assertEquals(
                List.of("High traffic generated an alert - hits = 5, triggered at 2026-01-01T00:00:14Z"),
                run.stdout().lines().filter(l -> l.startsWith("High")).toList(),
                "the alert's 30 s average reaches 5 hits/s at the 15th second of traffic; the lone 1971 line is 0.03");
    }

    @Test
    void utcOffsetsAndADaylightSavingChangeLandInTheirUtcWindows() throws Exception {
        List<String> lines = List.of(
                line(ZonedDateTime.parse("2026-01-01T05:30:05+05:30"), 1), // 00:00:05Z
                line(ZonedDateTime.parse("2025-12-31T16:00:07-08:00"), 2), // 00:00:07Z
                line(ZonedDateTime.parse("2026-01-01T00:00:15+00:00"), 3), // 00:00:15Z
                // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST; UTC goes on without a jump.
                line(ZonedDateTime.parse("2026-03-29T01:59:58+01:00"), 4), // 00:59:58Z
                line(ZonedDateTime.parse("2026-03-29T03:00:01+02:00"), 5), // 01:00:01Z
                // Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; the local time goes back, UTC does not.
                line(ZonedDateTime.parse("2026-10-25T02:59:59+02:00"), 6), // 00:59:59Z
                line(ZonedDateTime.parse("2026-10-25T02:00:03+01:00"), 7)); // 01:00:03Z
        Path log = Files.write(dir.resolve("zones.log"), lines);
        Run run = MonitorCliIT.run(
                dir,
                "-f",
                log.toString(),
                "-c",
                config("[Stats]\ninterval = 10\n[Alerts]\n").toString(),
                "--once");
        assertEquals(0, run.exit(), run.stderr());
        Map<String, Long> hits = new TreeMap<>();
        for (JsonNode w : stats(run.stdout())) {
            if (w.get("hits").asLong() > 0) {
                hits.put(w.get("window_start").asText(), w.get("hits").asLong());
            }
        }
        assertEquals(
                Map.of(
                        "2026-01-01T00:00:00Z",
                        2L,
                        "2026-01-01T00:00:10Z",
                        1L,
                        "2026-03-29T00:59:50Z",
                        1L,
                        "2026-03-29T01:00:00Z",
                        1L,
                        "2026-10-25T00:59:50Z",
                        1L,
                        "2026-10-25T01:00:00Z",
                        1L),
                hits);
        assertEquals(0, sum(stats(run.stdout()), "late"), "the clock change is no disorder in UTC");
    }

    private ServiceProcess monitor(String name, Path log, Path config, Path out, String prefix) throws IOException {
        return ServiceProcess.start(
                Path.of("target", "httpmon.jar"),
                name,
                List.of(
                        "-f",
                        log.toString(),
                        "-c",
                        config.toString(),
                        "--from-beginning",
                        "--bootstrap-servers",
                        SharedBroker.bootstrapServers(),
                        "--topic-prefix",
                        prefix,
                        "--partitions",
                        "3",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--output",
                        "file",
                        "--output-file",
                        out.toString()));
    }

    private static boolean await(Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(200);
        }
        return check.holds();
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void aHistoricLogFollowedLiveClosesItsWindowsAndThenPrintsCurrentTrafficWithinSeconds() throws Exception {
        long historic = Instant.parse("2025-12-01T00:00:00Z").getEpochSecond();
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            old.add(utcLine(historic + i / 10, i));
        }
        Path log = Files.write(dir.resolve("historic.log"), old);
        Path out = dir.resolve("out.txt");
        Path config = config("[Stats]\ninterval = 10\n[Alerts]\n");
        try (ServiceProcess monitor = monitor("historic", log, config, out, SharedBroker.uniquePrefix("historic"))) {
            assertTrue(
                    await(Duration.ofSeconds(60), () -> LiveWindows.windowsPast(out, historic + 19)),
                    "the last historic window closes once the log has been quiet for a while: " + monitor.output());
            int written = 0;
            long last = 0;
            for (int s = 0; s < 5; s++) {
                last = Instant.now().getEpochSecond();
                List<String> current = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    current.add(utcLine(last, written++));
                }
                Files.write(log, current, StandardOpenOption.APPEND);
                Thread.sleep(1000);
            }
            long lastWindowEnd = last - Math.floorMod(last, 10) + 10;
            // interval + grace + a few seconds after the last line: its window is printed.
            long waitMs = (lastWindowEnd + 2 + 5) * 1000 - System.currentTimeMillis();
            final long lastSecond = last;
            assertTrue(
                    await(Duration.ofMillis(Math.max(waitMs, 0)), () -> LiveWindows.windowsPast(out, lastSecond)),
                    "current traffic is printed within grace + 5 s of its window's end: " + Files.readString(out));
            List<JsonNode> stats = stats(Files.readString(out));
            assertEquals(200 + written, sum(stats, "hits"), Files.readString(out));
            assertEquals(0, sum(stats, "late"));
            assertTrue(stats.size() < 10, "the months between are one record, not 250,000: " + stats.size());
        }
    }

    @Test
    void aMonitorStoppedForMoreThanAMinuteOnAQuietLogClosesItsWindowsAndRecoversItsAlertOnRestart() throws Exception {
        Path log = Files.createFile(dir.resolve("live.log"));
        Path out = dir.resolve("live-out.txt");
        Path config = config("[Stats]\ninterval = 10\n[Alerts]\nburst = 5, 10\n");
        String prefix = SharedBroker.uniquePrefix("pause");
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        int written = 0;
        try (ServiceProcess monitor = monitor("pause-1", log, config, out, prefix)) {
            for (int s = 0; s < 12; s++) {
                long second = Instant.now().getEpochSecond();
                List<String> burst = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    burst.add(utcLine(second, written++));
                }
                perSecond.merge(second, 10, Integer::sum);
                Files.write(log, burst, StandardOpenOption.APPEND);
                Thread.sleep(1000);
            }
            assertTrue(
                    await(
                            Duration.ofSeconds(20),
                            () -> Files.exists(out)
                                    && Files.readString(out).contains("High traffic generated an alert")),
                    monitor.output());
            monitor.stop();
        }
        assertFalse(
                Files.readString(out).contains("recovered"), "stopped before the recovery: else this tests nothing");
        Thread.sleep(70_000); // more than a minute, the log quiet
        try (ServiceProcess monitor = monitor("pause-2", log, config, out, prefix)) {
            assertTrue(
                    await(Duration.ofSeconds(40), () -> Files.readString(out).contains("recovered")),
                    "the alert recovers on the heartbeats after the restart: " + monitor.output());
            String recovered = expectedRecovery(perSecond, 5, 10);
            List<String> alerts = Files.readAllLines(out).stream()
                    .filter(l -> l.startsWith("High"))
                    .toList();
            assertEquals(2, alerts.size(), "fired once, recovered once: " + alerts);
            assertEquals(recovered, alerts.get(1), "at the second it would have without the pause");
            long lastSecond = perSecond.lastKey();
            assertTrue(await(Duration.ofSeconds(10), () -> LiveWindows.windowsPast(out, lastSecond)));
            List<JsonNode> stats = stats(Files.readString(out));
            assertEquals(written, sum(stats, "hits"), "every line once, the last window before the stop included");
            assertEquals(0, sum(stats, "late"));
        }
    }

    /** The recovery line of a rule THRESHOLD, WINDOW over per-second counts, second by second. */
    private static String expectedRecovery(TreeMap<Long, Integer> perSecond, double threshold, int window) {
        boolean firing = false;
        for (long s = perSecond.firstKey(); s < perSecond.lastKey() + window + 1; s++) {
            long sum = 0;
            for (long t = s - window + 1; t <= s; t++) {
                sum += perSecond.getOrDefault(t, 0);
            }
            double average = (double) sum / window;
            if (!firing && average >= threshold) {
                firing = true;
            } else if (firing && average < threshold) {
                return "High traffic alert recovered at " + Instant.ofEpochSecond(s);
            }
        }
        throw new AssertionError("the traffic never recovers: " + perSecond);
    }
}
