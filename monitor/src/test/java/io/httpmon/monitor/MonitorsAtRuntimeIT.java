package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Json;
import io.httpmon.common.Topics;
import io.httpmon.stats.MonitorsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [Stats NAME]} monitors changed while everything runs, through the real broker: stats-service seeds the
 * {@code monitors} topic from its config, {@code httpmon monitors apply} adds one and {@code delete} removes it, and
 * the running service counts the change from the next window on, without being restarted by anyone.
 */
@ExtendWith(SharedBroker.class)
@Tag("long") // about 90 s of windows closing on the reader's idle clock: in the long profile, which .ci/run runs too
class MonitorsAtRuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar");
    }

    /** Ten requests a second from second {@code from}, for {@code seconds}: 7 on /shop (200), 3 on /api (500). */
    private static void append(Path log, int from, int seconds) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int s = from; s < from + seconds; s++) {
            for (int i = 0; i < 10; i++) {
                lines.append("10.0.0.")
                        .append(i)
                        .append(" - - [")
                        .append(CLF.format(T0.plusSeconds(s)))
                        .append(
                                i < 7
                                        ? "] \"GET /shop/cart HTTP/1.1\" 200 10\n"
                                        : "] \"GET /api/x HTTP/1.1\" 500 10\n");
            }
        }
        Files.writeString(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> kafkaArgs(String prefix, String... more) {
        return Services.kafkaArgs(prefix, 2, more);
    }

    /** Runs {@code httpmon monitors ARGS} in this JVM; returns its exit code and what it printed. */
    private static String monitors(String prefix, String... args) {
        return Services.command(new MonitorsCommand(), prefix, args);
    }

    /** "MONITOR WINDOW_START" to hits, for the records with hits (the default monitor is "default"). */
    private static Map<String, Long> hits(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        Map<String, Long> hits = new TreeMap<>();
        for (var r : records) {
            if (r.value() == null) {
                continue;
            }
            JsonNode w = Json.MAPPER.readTree(r.value());
            if (w.path("hits").asLong() > 0 && !w.has("group")) {
                hits.put(
                        w.path("monitor").asText("default") + " "
                                + w.get("window_start").asText(),
                        w.get("hits").asLong());
            }
        }
        return hits;
    }

    /** Waits until the service has said {@code count} times that the monitors changed, and runs again. */
    private static void awaitRestart(ServiceProcess stats, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = stats.output();
            int at = -1;
            int seen = 0;
            for (int i = out.indexOf("The monitors changed"); i >= 0; i = out.indexOf("The monitors changed", i + 1)) {
                at = i;
                seen++;
            }
            if (seen >= count && out.indexOf("is RUNNING", at) > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stats-service did not start again with the new monitors:\n" + stats.output());
    }

    private static String at(int second) {
        return T0.plusSeconds(second).toString();
    }

    @Test
    void monitorsAppliedAndDeletedWhileItRunsAreCountedFromTheNextWindowOn() throws Exception {
        String prefix = SharedBroker.uniquePrefix("monitors");
        Path log = dir.resolve("access.log");
        Path config = Files.writeString(dir.resolve("stats.cfg"), """
                [Stats]
                interval = 10
                [Stats shop]
                section = /shop
                """);
        append(log, 0, 30);
        List<ServiceProcess> processes = new ArrayList<>();
        processes.add(ServiceProcess.start(jar("parser-service"), "monitors-parser", kafkaArgs(prefix)));
        ServiceProcess stats = ServiceProcess.start(
                jar("stats-service"),
                "monitors-stats",
                kafkaArgs(
                        prefix,
                        "-c",
                        config.toString(),
                        "--state-dir",
                        dir.resolve("stats-state").toString()));
        processes.add(stats);
        processes.add(ServiceProcess.start(
                jar("reader-service"), "monitors-reader", kafkaArgs(prefix, "-f", log.toString(), "--from-beginning")));
        try (TopicReader records = new TopicReader(SharedBroker.bootstrapServers(), Topics.STATS.name(prefix))) {
            // The config's monitor, seeded by stats-service, counted from the start.
            Map<String, Long> before = hits(records.readUntil(
                    r -> {
                        try {
                            return hits(r).containsKey("shop " + at(20));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    WAIT));
            assertEquals(70L, before.get("shop " + at(0)), before.toString());
            assertEquals("0 # config\n[Stats shop]\nsection = /shop", monitors(prefix, "list"));

            // A monitor of the errors, applied while it runs: counted from the next window on.
            Path more = Files.writeString(dir.resolve("more.cfg"), """
                    [Stats errors]
                    status = 5xx
                    interval = 10
                    """);
            assertEquals("0 errors: added", monitors(prefix, "apply", "-c", more.toString()));
            awaitRestart(stats, 1);
            append(log, 1000, 30);
            Map<String, Long> after = hits(records.readUntil(
                    r -> {
                        try {
                            return hits(r).containsKey("errors " + at(1020));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    WAIT));
            for (int window : new int[] {1000, 1010, 1020}) {
                assertEquals(30L, after.get("errors " + at(window)), "3 errors a second: " + after);
                assertEquals(70L, after.get("shop " + at(window)), "the config's monitor goes on: " + after);
                assertEquals(100L, after.get("default " + at(window)), after.toString());
            }
            assertTrue(
                    after.keySet().stream()
                            .noneMatch(k -> k.startsWith("errors ") && k.compareTo("errors " + at(1000)) < 0),
                    "nothing before it was applied: " + after);

            // Deleted: no more of its windows; the others go on.
            assertEquals("0 errors: deleted", monitors(prefix, "delete", "errors"));
            assertEquals("2", monitors(prefix, "delete", "errors"), "no such monitor: exit 2, the reason on stderr");
            awaitRestart(stats, 2);
            append(log, 2000, 30);
            Map<String, Long> last = hits(records.readUntil(
                    r -> {
                        try {
                            return hits(r).containsKey("shop " + at(2020));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    WAIT));
            assertEquals(70L, last.get("shop " + at(2000)), last.toString());
            assertTrue(
                    last.keySet().stream()
                            .noneMatch(k -> k.startsWith("errors ") && k.compareTo("errors " + at(2000)) >= 0),
                    "none after it was deleted: " + last);
            assertEquals("0 # config\n[Stats shop]\nsection = /shop", monitors(prefix, "list"));
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }
}
