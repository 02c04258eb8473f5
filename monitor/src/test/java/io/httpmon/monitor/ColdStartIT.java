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
import java.io.IOException;
import java.io.Writer;
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
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack that starts cold, as {@code docker compose up --scale parser-service=3} does: the reader follows an empty
 * log (every partition says it is empty); of the two parsers sharing the partitions one dies before the first
 * line, so its partitions lag the other's by its session while lines arrive, and a third parser joins meanwhile. Every stats window is right the first time
 * (no revision repairs an early one) and the alert transitions are those the per-second counts imply: none decided
 * on part of a second. The early close this guards against is reproduced deterministically in
 * {@code PartialWindowProcessorTest#aColdStartWithASlowParserHandsTheFirstWindowOverWholeTheFirstTime}; here the
 * real services and broker show it stays right end to end.
 */
@ExtendWith(SharedBroker.class)
@Tag("long") // about a minute of services joining while a log is written: the long profile (.ci/run)
class ColdStartIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final AlertRule RULE = new AlertRule("alert_1", 10, 20);
    /** Wall time per second of the log: 80 s of log in about 16 s, while the parsers come and go. */
    private static final long MS_PER_LOG_SECOND = 200;

    @TempDir
    Path dir;

    /** Quiet, a burst over the rule's threshold, quiet again long enough for it to recover within the log. */
    private static int[] perSecond() {
        int[] counts = new int[80];
        for (int s = 0; s < counts.length; s++) {
            counts[s] = s >= 20 && s < 40 ? 25 + s % 4 : 2 + s % 3;
        }
        return counts;
    }

    @Test
    void theFirstWindowIsRightTheFirstTimeWhileTheParsersJoinOneAfterAnother() throws Exception {
        String prefix = SharedBroker.uniquePrefix("cold-start");
        int[] counts = perSecond();
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        List<ServiceProcess> processes = new ArrayList<>();
        List<TopicReader> closing = new ArrayList<>();
        try {
            processes.add(Services.stats(prefix, 3, dir.resolve("stats-state")));
            processes.add(ServiceProcess.start(
                    Services.jar("alert-service"),
                    "alert",
                    Services.kafkaArgs(
                            prefix,
                            3,
                            "--rule",
                            "alert_1=10,20",
                            "--state-dir",
                            dir.resolve("alert-state").toString())));
            processes.add(parser(prefix, "parser-1"));
            ServiceProcess secondParser = parser(prefix, "parser-2");
            processes.add(secondParser);
            processes.add(ServiceProcess.start(
                    Services.jar("reader-service"), "reader", Services.kafkaArgs(prefix, 3, "-f", log.toString())));
            awaitTwoParsersSharingThePartitions(prefix);
            TopicReader stats = new TopicReader(SharedBroker.bootstrapServers(), Topics.STATS.name(prefix));
            TopicReader alerts = new TopicReader(SharedBroker.bootstrapServers(), Topics.ALERTS.name(prefix));
            closing.add(stats);
            closing.add(alerts);
            Thread.sleep(3_000); // the empty log's heartbeats reach every partition: each says it is empty
            // The second parser dies before the first line: its partitions wait for the group to notice (its
            // session, 10 s: 50 s of this log) while the first parser's partitions count the log's first windows.
            secondParser.kill();

            try (Writer out = Files.newBufferedWriter(log, StandardOpenOption.APPEND)) {
                for (int s = 0; s < counts.length; s++) {
                    if (s == 30) {
                        processes.add(parser(prefix, "parser-3")); // joins while lines arrive
                    }
                    String time = CLF.format(T0.plusSeconds(s));
                    for (int i = 0; i < counts[s]; i++) {
                        out.write("10.1." + (i % 9) + "." + (s % 40) + " - - [" + time + "] \"GET /s" + (i % 5)
                                + "/x HTTP/1.1\" 200 " + (200 + i) + "\n");
                    }
                    out.flush();
                    Thread.sleep(MS_PER_LOG_SECOND);
                }
            }

            List<Long> expectedHits = ExpectedOutput.windowHits(counts, 10);
            List<StatsWindow> windows =
                    windows(stats.readUntil(records -> windows(records).size() >= expectedHits.size(), WAIT));
            List<String> expectedAlerts = ExpectedOutput.transitions(counts, T0, RULE);
            assertEquals(2, expectedAlerts.size(), "the log has one burst: " + expectedAlerts);
            List<ConsumerRecord<byte[], byte[]>> alertRecords =
                    alerts.readUntil(TopicReader.atLeast(expectedAlerts.size()), WAIT);
            // A little longer: a revision or a transition decided early would come now.
            windows = windows(stats.readFor(Duration.ofSeconds(5)));
            alertRecords = alerts.readFor(Duration.ofSeconds(2));

            assertTrue(
                    windows.stream().allMatch(w -> w.revision() == 0),
                    "no window was handed over early and repaired: "
                            + windows.stream()
                                    .map(w -> w.time() + " revision " + w.revision() + ": " + w.hits())
                                    .toList());
            assertEquals(
                    expectedHits,
                    windows.subList(0, expectedHits.size()).stream()
                            .map(StatsWindow::hits)
                            .toList(),
                    "each window whole the first time, the first one too");
            assertEquals("2026-03-01T08:00:10Z", windows.get(0).time());
            assertTrue(
                    windows.subList(expectedHits.size(), windows.size()).stream()
                            .allMatch(w -> w.hits() == 0),
                    "after the log: quiet windows only");
            var serde = Topics.ALERTS.valueSerde().deserializer();
            assertEquals(
                    expectedAlerts,
                    alertRecords.stream()
                            .filter(r -> r.value() != null)
                            .map(r -> serde.deserialize("t", r.value()).message())
                            .toList(),
                    "each transition decided on whole seconds");
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
            for (TopicReader reader : closing) {
                reader.close();
            }
        }
    }

    private static ServiceProcess parser(String prefix, String name) throws IOException {
        return ServiceProcess.start(Services.jar("parser-service"), name, Services.kafkaArgs(prefix, 3));
    }

    private static List<StatsWindow> windows(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.STATS.valueSerde().deserializer();
        return records.stream()
                .filter(r -> r.value() != null)
                .map(r -> serde.deserialize("t", r.value()))
                .toList();
    }

    /** Waits until the parsers' group has two members, each with raw-lines partitions of its own. */
    private static void awaitTwoParsersSharingThePartitions(String prefix) throws Exception {
        String group = prefix + "parser";
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
            while (true) {
                ConsumerGroupDescription described = null;
                try {
                    described = admin.describeConsumerGroups(List.of(group))
                            .all()
                            .get()
                            .get(group);
                } catch (ExecutionException e) {
                    // not there until the first parser has joined
                }
                if (described != null
                        && described.members().size() == 2
                        && described.members().stream()
                                .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the two parsers did not share the partitions: " + described);
                }
                Thread.sleep(200);
            }
        }
    }
}
