package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import java.io.BufferedWriter;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client_rate rule's state through a kill: alert-service is killed (SIGKILL) after the first client alerts of a
 * replay and started again; every client's alert fires and resolves once, at the seconds a brute-force reading of
 * the file gives, the restarted service rebuilding the clients' windows and their pending and firing verdicts from
 * its stores.
 */
@ExtendWith(SharedBroker.class)
@Tag("long") // about a minute: the long profile (.ci/run)
class ClientRateRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final int SECONDS = 6000;
    private static final int FLOODERS = 28;
    private static final double THRESHOLD = 5;
    private static final int WINDOW = 10;

    @TempDir
    Path dir;

    /** Requests per client per second: quiet clients every 10 s, flooder k at 8 a second for 15 s from 200 k + 20. */
    private static Map<String, int[]> traffic() {
        Map<String, int[]> perClient = new TreeMap<>();
        for (int q = 0; q < 40; q++) {
            int[] counts = new int[SECONDS];
            for (int s = q % 10; s < SECONDS; s += 10) {
                counts[s] = 1;
            }
            perClient.put("10.9.0." + q, counts);
        }
        for (int k = 0; k < FLOODERS; k++) {
            int[] counts = new int[SECONDS];
            for (int s = 200 * k + 20; s < 200 * k + 35; s++) {
                counts[s] = 8;
            }
            perClient.put("203.0.113." + k, counts);
        }
        return perClient;
    }

    /** Per client, its transitions as the window's average says, second by second. */
    private static Map<String, List<String>> oracle(Map<String, int[]> perClient) {
        Map<String, List<String>> transitions = new TreeMap<>();
        perClient.forEach((client, counts) -> {
            boolean firing = false;
            long sum = 0;
            for (int s = 0; s < SECONDS; s++) {
                sum += counts[s] - (s >= WINDOW ? counts[s - WINDOW] : 0);
                boolean over = (double) sum / WINDOW >= THRESHOLD;
                if (over != firing) {
                    firing = over;
                    transitions
                            .computeIfAbsent(client, c -> new ArrayList<>())
                            .add((over ? "FIRING " : "RESOLVED ") + T0.plusSeconds(s));
                }
            }
        });
        return transitions;
    }

    private static Map<String, List<String>> seen(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.ALERTS.valueSerde().deserializer();
        Map<String, List<String>> transitions = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            AlertEvent e = serde.deserialize("t", r.value());
            String client = e.labels().get(AlertRule.CLIENT_LABEL);
            transitions.computeIfAbsent(client, c -> new ArrayList<>()).add(e.state() + " " + e.at());
        }
        return transitions;
    }

    @Test
    void eachClientAlertFiresAndResolvesOnceThroughAKillOfAlertService() throws Exception {
        String prefix = SharedBroker.uniquePrefix("client-restart");
        Map<String, int[]> perClient = traffic();
        Path log = dir.resolve("access.log");
        try (BufferedWriter out = Files.newBufferedWriter(log)) {
            for (int s = 0; s < SECONDS; s++) {
                String time = CLF.format(T0.plusSeconds(s));
                for (var client : perClient.entrySet()) {
                    for (int i = 0; i < client.getValue()[s]; i++) {
                        out.write(client.getKey() + " - - [" + time + "] \"GET /p/" + i + " HTTP/1.1\" 200 10\n");
                    }
                }
            }
        }
        Path config = Files.writeString(
                dir.resolve("rules.cfg"),
                "[Alert flood]\nkind = client_rate\nthreshold = " + THRESHOLD + "\nwindow = " + WINDOW
                        + "\nmax_alerts = 100\n");
        Map<String, List<String>> expected = oracle(perClient);
        assertEquals(FLOODERS, expected.size(), "each flooder, and no quiet client, crosses the threshold");

        List<ServiceProcess> processes = new ArrayList<>();
        try {
            ServiceProcess first = alert(prefix, config, "alert");
            processes.add(first);
            processes.add(Services.stats(prefix, 3, dir.resolve("stats-state")));
            processes.add(
                    ServiceProcess.start(Services.jar("parser-service"), "parser", Services.kafkaArgs(prefix, 3)));
            processes.add(ServiceProcess.start(
                    Services.jar("reader-service"),
                    "reader",
                    Services.kafkaArgs(prefix, 3, "-f", log.toString(), "--once")));
            try (TopicReader alerts = new TopicReader(SharedBroker.bootstrapServers(), Topics.ALERTS.name(prefix))) {
                List<ConsumerRecord<byte[], byte[]>> before = alerts.readUntil(r -> r.size() >= 3, WAIT);
                first.kill();
                int seenBeforeKill = before.size();
                assertTrue(
                        seenBeforeKill >= 3
                                && seenBeforeKill < 2 * FLOODERS
                                && !Services.endMarker().test(before),
                        "the kill came mid-stream, after " + seenBeforeKill + " of " + 2 * FLOODERS + " transitions");
                processes.add(alert(prefix, config, "alert-restarted"));
                List<ConsumerRecord<byte[], byte[]>> all = alerts.readUntil(Services.endMarker(), WAIT);
                assertTrue(Services.endMarker().test(all), "the restarted service reached the end of input");
                all = alerts.readFor(Duration.ofSeconds(1));
                assertEquals(expected, seen(all), "every client's alert once, at the seconds the file gives");
            }
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }

    private ServiceProcess alert(String prefix, Path config, String name) throws Exception {
        return ServiceProcess.start(
                Services.jar("alert-service"),
                name,
                Services.kafkaArgs(
                        prefix,
                        3,
                        "-c",
                        config.toString(),
                        "--state-dir",
                        dir.resolve("alert-state").toString()));
    }
}
