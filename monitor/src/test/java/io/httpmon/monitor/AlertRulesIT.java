package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.alert.RulesCommand;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Topics;
import io.httpmon.common.model.AlertEvent;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules changed while everything runs, through the real broker: alert-service seeds the rules topic from its
 * config file, {@code httpmon rules apply} and {@code delete} change it, and the running service takes each change
 * in from the next second it evaluates. No restart.
 */
@ExtendWith(SharedBroker.class)
class AlertRulesIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar");
    }

    /** Appends {@code perSecond} requests a second from second {@code from}, for {@code seconds}. */
    private static void append(Path log, int from, int seconds, int perSecond, int status, String path)
            throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int s = from; s < from + seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                lines.append("10.0.0.")
                        .append(i % 9)
                        .append(" - - [")
                        .append(CLF.format(T0.plusSeconds(s)))
                        .append("] \"GET ")
                        .append(path)
                        .append(" HTTP/1.1\" ")
                        .append(status)
                        .append(" 10\n");
            }
        }
        Files.writeString(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> kafkaArgs(String prefix, String... more) {
        return Services.kafkaArgs(prefix, 2, more);
    }

    /** Runs {@code httpmon rules ARGS} in this JVM; returns its exit code and what it printed. */
    private static String rules(String prefix, String... args) {
        return Services.command(new RulesCommand(), prefix, args);
    }

    private static List<String> messages(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.ALERTS.valueSerde().deserializer();
        return records.stream()
                .filter(r -> r.value() != null)
                .map(r -> serde.deserialize("t", r.value()))
                .map(e -> e.alert() + " " + e.message())
                .toList();
    }

    private static Predicate<List<ConsumerRecord<byte[], byte[]>>> saying(String text) {
        return records -> messages(records).stream().anyMatch(m -> m.contains(text));
    }

    private static String at(int second) {
        return T0.plusSeconds(second).toString();
    }

    @Test
    void rulesAppliedAndDeletedWhileEverythingRunsTakeEffectWithoutARestart() throws Exception {
        String prefix = SharedBroker.uniquePrefix("rules");
        Path log = dir.resolve("access.log");
        Path config = Files.writeString(dir.resolve("monitor.cfg"), """
                [Alerts]
                busy = 5, 1
                """);
        append(log, 0, 5, 10, 200, "/shop/cart"); // then nothing: once idle, every second up to now is evaluated
        List<ServiceProcess> processes = new ArrayList<>();
        processes.add(ServiceProcess.start(jar("parser-service"), "rules-parser", kafkaArgs(prefix)));
        processes.add(ServiceProcess.start(
                jar("alert-service"),
                "rules-alert",
                kafkaArgs(
                        prefix,
                        "-c",
                        config.toString(),
                        "--state-dir",
                        dir.resolve("alert-state").toString())));
        processes.add(ServiceProcess.start(
                jar("reader-service"), "rules-reader", kafkaArgs(prefix, "-f", log.toString(), "--from-beginning")));
        try (TopicReader alerts = new TopicReader(SharedBroker.bootstrapServers(), Topics.ALERTS.name(prefix))) {
            // The config's rule, seeded by alert-service.
            alerts.readUntil(saying("busy High traffic alert recovered at " + at(5)), WAIT);
            assertEquals("0 busy: high_traffic 5 over 1 s [config]", rules(prefix, "list"));

            // A second rule and a lower threshold for the first, from a file, while it runs.
            Path more = Files.writeString(dir.resolve("more.cfg"), """
                    [Alerts]
                    busy = 0.5, 1
                    [Alert shop_errors]
                    kind = error_ratio
                    threshold = 0.5
                    window = 2
                    section = /shop
                    min_hits = 4
                    labels = severity=page
                    """);
            assertEquals("0 busy: changed\nshop_errors: added", rules(prefix, "apply", "-c", more.toString()));
            assertEquals(
                    "0 busy: high_traffic 0.5 over 1 s [cli]\n"
                            + "shop_errors: error_ratio 50% of 5xx over 2 s, section /shop, min_hits 4, labels severity=page"
                            + " [cli]",
                    rules(prefix, "list"));
            // Traffic much later (the service's clock has moved on meanwhile): 1/s, half of it failing on /shop.
            append(log, 1000, 3, 1, 200, "/shop/cart");
            append(log, 1000, 3, 1, 503, "/shop/pay");
            List<String> said = messages(alerts.readUntil(saying("shop_errors"), WAIT));
            assertTrue(
                    said.contains("busy High traffic generated an alert - hits = 2, triggered at " + at(1000)),
                    String.join("\n", said));
            assertTrue(
                    said.contains("shop_errors Error ratio alert shop_errors - 5xx on /shop = 50% over 2 s, "
                            + "triggered at " + at(1001)),
                    String.join("\n", said));

            // A firing rule deleted: it resolves, and says nothing more.
            assertEquals("0 busy: deleted", rules(prefix, "delete", "busy"));
            assertEquals("2", rules(prefix, "delete", "nothing"), "no such rule: exit 2, the reason on stderr");
            append(log, 2000, 2, 4, 200, "/shop/cart");
            said = messages(alerts.readUntil(saying("(rule deleted)"), WAIT));
            assertTrue(
                    said.stream()
                            .anyMatch(m -> m.startsWith("busy High traffic alert recovered at ")
                                    && m.endsWith("(rule deleted)")),
                    String.join("\n", said));
            said = messages(alerts.readUntil(saying("shop_errors Error ratio alert shop_errors recovered"), WAIT));
            assertEquals(
                    1, said.stream().filter(m -> m.contains("(rule deleted)")).count(), String.join("\n", said));
            var serde = Topics.ALERTS.valueSerde().deserializer();
            AlertEvent fired = alerts.readFor(Duration.ZERO).stream()
                    .filter(r -> r.value() != null)
                    .map(r -> serde.deserialize("t", r.value()))
                    .filter(e -> e.alert().equals("shop_errors"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("page", fired.labels().get("severity"));
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }
}
