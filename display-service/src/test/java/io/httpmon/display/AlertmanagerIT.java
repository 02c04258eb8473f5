package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Json;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertmanagerSettings;
import io.httpmon.common.model.AlertEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Alerts delivered to the real Alertmanager (Debian's {@code prometheus-alertmanager}, installed by {@code .ci/run}),
 * which notifies a webhook receiver of this test: Alertmanager down when the alert fires, then started; the firing
 * notification comes once it is up, the resolved one after the alert resolves.
 */
@ExtendWith(SharedBroker.class)
class AlertmanagerIT {

    private static final String BINARY = "/usr/bin/prometheus-alertmanager";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static AlertEvent event(AlertEvent.State state, Instant startsAt, Instant endsAt) {
        Map<String, String> labels = Map.of("alertname", "api_errors", "severity", "page", "team", "web");
        String message = state == AlertEvent.State.FIRING
                ? "Error ratio alert api_errors - 5xx on /api = 25% over 60 s, triggered at " + startsAt
                : "Error ratio alert api_errors recovered at " + endsAt;
        return new AlertEvent(
                "api_errors",
                state,
                3,
                3.5,
                0.2,
                60,
                (endsAt != null ? endsAt : startsAt).toString(),
                startsAt.toString(),
                endsAt == null ? null : endsAt.toString(),
                message,
                "error_ratio",
                0.25,
                state == AlertEvent.State.FIRING ? "firing" : "resolved",
                labels,
                Map.of("summary", "25% of /api requests failed"),
                startsAt.toString(),
                endsAt == null ? null : endsAt.toString(),
                AlertEvent.fingerprint(labels));
    }

    @Test
    void firingAndResolvedReachTheReceiverThroughAlertmanagerThatWasDownAtFirst() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of(BINARY)),
                BINARY + " is not installed (apt-get install prometheus-alertmanager; .ci/run does): skipped");
        String prefix = SharedBroker.uniquePrefix("am");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 1);
        TopicAdmin.ensureTopics(kafka, List.of(Topics.ALERTS), new StopSignal());

        // The receiver Alertmanager notifies.
        LinkedBlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            notifications.add(Json.MAPPER.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        int amPort = freePort();
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: hook
                  group_by: ['alertname']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: true
                """.formatted(
                        receiver.getAddress().getPort()));

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AlertmanagerSender.class);
        logger.addAppender(logs);
        StopSignal stop = new StopSignal();
        AlertmanagerSender sender = new AlertmanagerSender(
                kafka,
                new AlertmanagerSettings(
                        List.of(URI.create("http://127.0.0.1:" + amPort)),
                        Duration.ofSeconds(2),
                        URI.create("http://httpmon.example/rules")));
        Thread senderThread = new Thread(() -> sender.run(stop), "sender");
        Process alertmanager = null;
        Instant firedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
        try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedBroker.bootstrapServers()),
                new StringSerializer(),
                Topics.ALERTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS.name(prefix), "api_errors", event(AlertEvent.State.FIRING, firedAt, null)))
                    .get();
            senderThread.start();

            // Alertmanager is not there: said once, however many retries.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sender.targets().get(0).outages() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3500); // a few retries (1 s, 2 s backoff)
            assertEquals(1, messages(logs, "cannot deliver to").size(), String.join("\n", messages(logs, "")));

            alertmanager = new ProcessBuilder(
                            BINARY,
                            "--config.file=" + config,
                            "--storage.path=" + Files.createDirectories(dir.resolve("data")),
                            "--web.listen-address=127.0.0.1:" + amPort,
                            "--cluster.listen-address=")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("alertmanager.log").toFile())
                    .start();

            JsonNode firing = notifications.poll(60, TimeUnit.SECONDS);
            assertTrue(
                    firing != null,
                    "no notification from Alertmanager: " + Files.readString(dir.resolve("alertmanager.log")));
            assertEquals("firing", firing.get("status").asText());
            JsonNode alert = firing.get("alerts").get(0);
            assertEquals("api_errors", alert.get("labels").get("alertname").asText());
            assertEquals("page", alert.get("labels").get("severity").asText());
            assertEquals(
                    "25% of /api requests failed",
                    alert.get("annotations").get("summary").asText());
            assertEquals(firedAt, Instant.parse(alert.get("startsAt").asText()));
            assertEquals(
                    "http://httpmon.example/rules", alert.get("generatorURL").asText());
            assertEquals(
                    AlertEvent.fingerprint(Map.of("alertname", "api_errors", "severity", "page", "team", "web")),
                    alert.get("fingerprint").asText(),
                    "the fingerprint on the topic is Alertmanager's own");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (messages(logs, "is reachable again").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, messages(logs, "is reachable again").size(), String.join("\n", messages(logs, "")));

            Instant resolvedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS.name(prefix),
                            "api_errors",
                            event(AlertEvent.State.RESOLVED, firedAt, resolvedAt)))
                    .get();
            JsonNode resolved;
            do {
                resolved = notifications.poll(60, TimeUnit.SECONDS);
                assertTrue(resolved != null, "no resolved notification");
            } while (resolved.get("status").asText().equals("firing")); // a repeat of the firing one, if any
            assertEquals("resolved", resolved.get("status").asText());
            assertEquals(
                    resolvedAt,
                    Instant.parse(resolved.get("alerts").get(0).get("endsAt").asText()));
            assertEquals(1, messages(logs, "cannot deliver to").size(), "one outage, said once");

            // A client_rate rule's alerts: one per client, the client in the labels, apart in Alertmanager.
            for (String client : List.of("203.0.113.9", "198.51.100.7")) {
                Map<String, String> labels = Map.of("alertname", "flood", "client", client);
                producer.send(new ProducerRecord<>(
                                Topics.ALERTS.name(prefix),
                                "flood",
                                new AlertEvent(
                                        "flood",
                                        AlertEvent.State.FIRING,
                                        30,
                                        30.0,
                                        20,
                                        10,
                                        firedAt.toString(),
                                        firedAt.toString(),
                                        null,
                                        "Client rate alert flood - client " + client
                                                + " = 30/s over 10 s, triggered at " + firedAt,
                                        "client_rate",
                                        30.0,
                                        "firing",
                                        labels,
                                        Map.of("summary", client + " floods"),
                                        firedAt.toString(),
                                        null,
                                        AlertEvent.fingerprint(labels))))
                        .get();
            }
            java.util.Set<String> clients = new java.util.TreeSet<>();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (clients.size() < 2 && System.nanoTime() < deadline) {
                JsonNode notification = notifications.poll(5, TimeUnit.SECONDS);
                if (notification == null) {
                    continue;
                }
                for (JsonNode a : notification.get("alerts")) {
                    if (a.get("labels").get("alertname").asText().equals("flood")) {
                        clients.add(a.get("labels").get("client").asText());
                    }
                }
            }
            assertEquals(java.util.Set.of("198.51.100.7", "203.0.113.9"), clients, "two alerts, not one overwritten");
        } finally {
            stop.stop();
            senderThread.join(10_000);
            if (alertmanager != null) {
                alertmanager.destroy();
                alertmanager.waitFor(10, TimeUnit.SECONDS);
            }
            receiver.stop(0);
            logger.detachAppender(logs);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> logs, String containing) {
        synchronized (logs.list) {
            return logs.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains(containing))
                    .toList();
        }
    }
}
