package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.ExpectedOutput;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole analytics path through the real broker, every service its own process (run from the jars of the
 * modules this one depends on): a generated file with known per-second counts, reader --once, two parsers, stats
 * and alert. Every stats window and every alert transition is checked against what the counts imply.
 */
@ExtendWith(SharedBroker.class)
class PipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final AlertRule RULE = new AlertRule("alert_1", 10, 20);

    @TempDir
    Path dir;

    /** Requests per second: cycles of quiet, a burst, quiet. */
    private static int[] perSecond(int cycles) {
        int[] counts = new int[cycles * 100];
        for (int s = 0; s < counts.length; s++) {
            int inCycle = s % 100;
            counts[s] = inCycle >= 50 && inCycle < 80 ? 30 + s % 3 : 1 + s % 2;
        }
        return counts;
    }

    private static void write(Path file, int[] counts) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int s = 0; s < counts.length; s++) {
                String time = CLF.format(T0.plusSeconds(s));
                for (int i = 0; i < counts[s]; i++) {
                    out.write("10.0." + (i % 7) + "." + (s % 50) + " - user" + (i % 3) + " [" + time
                            + "] \"GET /section" + (i % 4) + "/page HTTP/1.1\" 200 " + (100 + i) + "\n");
                }
            }
        }
    }

    /** {@code httpmon requests dump} on the prefix's requests topic: what it printed on stdout. */
    private static String dump(String prefix, String... more) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine dump = io.httpmon.common.Cli.commandLine(new RequestsCommand());
        dump.setOut(new java.io.PrintWriter(out));
        dump.setErr(new java.io.PrintWriter(err));
        List<String> args = new ArrayList<>(
                List.of("dump", "--bootstrap-servers", SharedBroker.bootstrapServers(), "--topic-prefix", prefix));
        args.addAll(List.of(more));
        assertEquals(0, dump.execute(args.toArray(String[]::new)), err.toString());
        return out.toString();
    }

    private static List<String> messages(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.ALERTS.valueSerde().deserializer();
        return records.stream()
                .filter(r -> r.value() != null)
                .map(r -> serde.deserialize("t", r.value()).message())
                .toList();
    }

    private List<ServiceProcess> upstream(String prefix, Path log) throws IOException {
        List<ServiceProcess> processes = new ArrayList<>();
        processes.add(ServiceProcess.start(
                Services.jar("stats-service"),
                "stats",
                Services.kafkaArgs(
                        prefix,
                        3,
                        "--interval",
                        "10",
                        "--state-dir",
                        dir.resolve("stats-state").toString())));
        processes.add(ServiceProcess.start(Services.jar("parser-service"), "parser-1", Services.kafkaArgs(prefix, 3)));
        processes.add(ServiceProcess.start(Services.jar("parser-service"), "parser-2", Services.kafkaArgs(prefix, 3)));
        processes.add(ServiceProcess.start(
                Services.jar("reader-service"),
                "reader",
                Services.kafkaArgs(prefix, 3, "-f", log.toString(), "--once")));
        return processes;
    }

    private ServiceProcess alert(String prefix, String name) throws IOException {
        return ServiceProcess.start(
                Services.jar("alert-service"),
                name,
                Services.kafkaArgs(
                        prefix,
                        3,
                        "--rule",
                        "alert_1=10,20",
                        "--state-dir",
                        dir.resolve("alert-state").toString()));
    }

    @Test
    void everyWindowAndEveryTransitionTheCountsImply() throws Exception {
        String prefix = SharedBroker.uniquePrefix("pipeline");
        int[] counts = perSecond(6);
        Path log = dir.resolve("access.log");
        write(log, counts);
        List<ServiceProcess> processes = upstream(prefix, log);
        processes.add(alert(prefix, "alert"));
        try (TopicReader stats = new TopicReader(SharedBroker.bootstrapServers(), Topics.STATS.name(prefix));
                TopicReader alerts = new TopicReader(SharedBroker.bootstrapServers(), Topics.ALERTS.name(prefix))) {
            List<ConsumerRecord<byte[], byte[]>> statsRecords = stats.readUntil(Services.endMarker(), WAIT);
            List<ConsumerRecord<byte[], byte[]>> alertRecords = alerts.readUntil(Services.endMarker(), WAIT);
            assertTrue(
                    Services.endMarker().test(statsRecords)
                            && Services.endMarker().test(alertRecords),
                    "both reached the end");

            var serde = Topics.STATS.valueSerde().deserializer();
            List<StatsWindow> windows = statsRecords.stream()
                    .filter(r -> r.value() != null)
                    .map(r -> serde.deserialize("t", r.value()))
                    .toList();
            assertEquals(
                    ExpectedOutput.windowHits(counts, 10),
                    windows.stream().map(StatsWindow::hits).toList());
            assertEquals("2018-05-09T12:00:10Z", windows.get(0).time());
            assertEquals(
                    List.of("/section0", "/section1", "/section2"),
                    windows.get(5).mostHits());
            assertTrue(windows.stream().allMatch(w -> w.late() == 0));

            List<String> expected = ExpectedOutput.transitions(counts, T0, RULE);
            assertEquals(12, expected.size(), "the data has 6 bursts");
            assertEquals(expected, messages(alertRecords));

            // What the parsers published (binary batches), for people: every line of the log once, as JSON.
            List<String> written = new ArrayList<>();
            for (int s = 0; s < counts.length; s++) {
                for (int i = 0; i < counts[s]; i++) {
                    written.add("10.0." + (i % 7) + "." + (s % 50) + " /section" + (i % 4) + "/page " + (100 + i) + " "
                            + T0.plusSeconds(s).toEpochMilli());
                }
            }
            List<String> dumped = new ArrayList<>();
            for (String line : dump(prefix).lines().toList()) {
                var request = io.httpmon.common.Json.MAPPER.readTree(line);
                dumped.add(request.get("host").asText() + " "
                        + request.get("resource").asText() + " "
                        + request.get("bytes").asLong() + " "
                        + request.get("timestamp").asLong());
            }
            java.util.Collections.sort(written);
            java.util.Collections.sort(dumped);
            assertEquals(written, dumped);
            String batch = dump(prefix, "--batches", "--max", "1").strip();
            assertTrue(
                    io.httpmon.common.Json.MAPPER.readTree(batch).get("columns").isArray(),
                    "one record in its JSON form: " + batch);
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }

    @Test
    void alertServiceKilledAndRestartedMidStreamPublishesEachTransitionOnce() throws Exception {
        String prefix = SharedBroker.uniquePrefix("pipeline-kill");
        int[] counts = perSecond(60);
        Path log = dir.resolve("access.log");
        write(log, counts);
        List<String> expected = ExpectedOutput.transitions(counts, T0, RULE);
        List<ServiceProcess> processes = new ArrayList<>();
        ServiceProcess first = alert(prefix, "alert");
        processes.add(first);
        try (TopicReader alerts = new TopicReader(SharedBroker.bootstrapServers(), Topics.ALERTS.name(prefix))) {
            processes.addAll(upstream(prefix, log));
            List<ConsumerRecord<byte[], byte[]>> before = alerts.readUntil(r -> !r.isEmpty(), WAIT);
            first.kill();
            int seenBeforeKill = messages(before).size();
            assertTrue(
                    seenBeforeKill > 0
                            && seenBeforeKill < expected.size()
                            && !Services.endMarker().test(before),
                    "the kill came mid-stream, after " + seenBeforeKill + " of " + expected.size() + " transitions");
            processes.add(alert(prefix, "alert-restarted"));
            List<ConsumerRecord<byte[], byte[]>> all = alerts.readUntil(Services.endMarker(), WAIT);
            assertTrue(Services.endMarker().test(all), "the restarted service reached the end of input");
            all = alerts.readFor(Duration.ofSeconds(1));
            assertEquals(expected, messages(all));
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }
}
