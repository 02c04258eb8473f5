package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Topics;
import io.httpmon.common.model.StatsWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two web servers, one reader each, into one pipeline (every service its own process on the real broker): the case
 * of the several-sources issue. Server A's reader follows its log; server B's reader replays a short log of the
 * same first 100 s with {@code --once} and ends while A goes on. B's end must end nothing A still fills: every
 * request of both is counted once, in its window, and the statistics end only when A's reader ends too.
 */
@ExtendWith(SharedBroker.class)
class SeveralSourcesIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** {@code perSecond} requests a second from {@code from} to {@code to} (seconds after T0), by {@code host}. */
    private static void append(Path file, int from, int to, int perSecond, String host) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(
                file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            for (int s = from; s < to; s++) {
                String time = CLF.format(T0.plusSeconds(s));
                for (int i = 0; i < perSecond; i++) {
                    out.write(host + " - - [" + time + "] \"GET /s" + (i % 4) + "/p HTTP/1.1\" 200 100\n");
                }
            }
        }
    }

    /** The latest record of each window (a revision replaces the first), by window start. */
    private static Map<String, StatsWindow> finalWindows(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.STATS.valueSerde().deserializer();
        Map<String, StatsWindow> windows = new TreeMap<>();
        records.stream()
                .filter(r -> r.value() != null)
                .map(r -> serde.deserialize("t", r.value()))
                .filter(w -> w.hits() > 0)
                .forEach(w -> windows.merge(w.windowStart(), w, (a, b) -> b.revision() >= a.revision() ? b : a));
        return windows;
    }

    @Test
    void oneServersEndEndsNothingTheOtherStillFills() throws Exception {
        String prefix = SharedBroker.uniquePrefix("sources");
        Path logA = dir.resolve("a.access.log");
        Path logB = dir.resolve("b.access.log");
        append(logA, 0, 100, 60, "10.0.0.1");
        append(logB, 0, 100, 20, "10.0.0.2");
        List<ServiceProcess> processes = new ArrayList<>();
        processes.add(Services.stats(prefix, 3, dir.resolve("stats")));
        processes.add(ServiceProcess.start(Services.jar("parser-service"), "parser", Services.kafkaArgs(prefix, 3)));
        try (TopicReader stats = new TopicReader(SharedBroker.bootstrapServers(), Topics.STATS.name(prefix))) {
            ServiceProcess readerA = ServiceProcess.start(
                    Services.jar("reader-service"),
                    "reader-a",
                    Services.kafkaArgs(
                            prefix, 3, "-f", logA.toString(), "--from-beginning", "--source-id", "server-a"));
            processes.add(readerA);
            try (TopicReader raw = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
                raw.readUntil(records -> records.size() > 3, WAIT); // A said hello and published
            }
            ServiceProcess readerB = ServiceProcess.start(
                    Services.jar("reader-service"),
                    "reader-b",
                    Services.kafkaArgs(prefix, 3, "-f", logB.toString(), "--once", "--source-id", "server-b"));
            processes.add(readerB);
            assertEquals(0, readerB.waitFor(120), "B's reader published its log and its end");

            List<ConsumerRecord<byte[], byte[]>> afterB =
                    stats.readUntil(records -> finalWindows(records).containsKey("2018-05-09T12:01:20Z"), WAIT);
            afterB = stats.readFor(Duration.ofSeconds(5));
            assertFalse(Services.endMarker().test(afterB), "B's end did not end the statistics while A's reader runs");
            JsonNode status = Services.status(prefix);
            Map<String, Long> lines = new TreeMap<>();
            status.path("sources")
                    .forEach(s ->
                            lines.put(s.path("source").asText(), s.path("lines").asLong()));
            assertEquals(
                    Map.of("server-a", 6000L, "server-b", 2000L),
                    lines,
                    "httpmon status lists both sources: " + status);

            append(logA, 100, 300, 60, "10.0.0.1"); // A goes on for 200 s more
            stats.readUntil(records -> finalWindows(records).containsKey("2018-05-09T12:04:40Z"), WAIT);
            readerA.stop();
            // A's reader ends its input: it resumes at its saved position and marks the end
            processes.add(ServiceProcess.start(
                    Services.jar("reader-service"),
                    "reader-a-end",
                    Services.kafkaArgs(prefix, 3, "-f", logA.toString(), "--once", "--source-id", "server-a")));
            List<ConsumerRecord<byte[], byte[]>> all = stats.readUntil(Services.endMarker(), WAIT);
            assertTrue(Services.endMarker().test(all), "the statistics end once both sources ended");

            Map<String, StatsWindow> windows = finalWindows(all);
            assertEquals(30, windows.size(), "300 s of traffic in 10 s windows: " + windows.keySet());
            windows.forEach((start, w) -> {
                boolean both = start.compareTo("2018-05-09T12:01:40Z") < 0;
                assertEquals(both ? 800 : 600, w.hits(), "window " + start + ": A's 600 and, in B's 100 s, B's 200");
                assertEquals(both ? 2 : 1, w.uniqueHosts(), "window " + start);
            });
            assertEquals(
                    60 * 300 + 20 * 100,
                    windows.values().stream().mapToLong(StatsWindow::hits).sum());
            long late = all.stream()
                    .filter(r -> r.value() != null)
                    .mapToLong(r -> Topics.STATS
                            .valueSerde()
                            .deserializer()
                            .deserialize("t", r.value())
                            .late())
                    .sum();
            assertEquals(0, late, "no request of either server came too late");
            String statsLog = processes.get(0).output();
            assertFalse(statsLog.contains("ignored"), "no window was sent again past max lateness:\n" + statsLog);
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }
}
