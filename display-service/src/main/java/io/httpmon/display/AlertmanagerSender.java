package io.httpmon.display;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ControlChars;
import io.httpmon.common.Json;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertmanagerSettings;
import io.httpmon.common.model.AlertEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code alerts} topic to Alertmanager as Prometheus does: every transition is posted to
 * {@code POST /api/v2/alerts} (labels, annotations, startsAt, endsAt, generatorURL), firing alerts again every
 * resend interval with an {@code endsAt} four intervals ahead (so Alertmanager resolves them by itself if httpmon
 * goes away), resolved ones with the time they resolved.
 *
 * <p>Outside the Streams transaction and the display: it reads the topic on its own (from the start, keeping the
 * latest transition of every alert) and each Alertmanager has its own thread, so one that is down or slow delays
 * nothing else. A failed post is retried with backoff (1 s doubling to 30 s), said once per outage; what was not
 * delivered is kept (the latest state of every alert) and sent when Alertmanager is back.
 */
public final class AlertmanagerSender {

    private static final Logger log = LoggerFactory.getLogger(AlertmanagerSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaOptions kafka;
    private final AlertmanagerSettings settings;
    private final Clock clock;
    /** The latest transition of every alert, by fingerprint. */
    private final Map<String, AlertEvent> latest = new ConcurrentHashMap<>();

    private final List<Target> targets = new ArrayList<>();

    public AlertmanagerSender(KafkaOptions kafka, AlertmanagerSettings settings) {
        this(kafka, settings, Clock.systemUTC());
    }

    AlertmanagerSender(KafkaOptions kafka, AlertmanagerSettings settings, Clock clock) {
        this.kafka = kafka;
        this.settings = settings;
        this.clock = clock;
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        for (URI url : settings.urls()) {
            targets.add(new Target(url, http));
        }
    }

    /** Reads the alerts and delivers them until stopped. */
    public void run(StopSignal stop) {
        List<Thread> threads = new ArrayList<>();
        for (Target target : targets) {
            Thread t = new Thread(() -> target.deliver(stop), "alertmanager-" + target.url.getAuthority());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        String topic = Topics.ALERTS.name(kafka.topicPrefix());
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!stop.isStopped()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue; // the end-of-input marker
                    }
                    AlertEvent event;
                    try {
                        event = Topics.ALERTS.valueSerde().deserializer().deserialize(topic, r.value());
                    } catch (SerializationException e) {
                        log.warn(
                                "alertmanager: skipped a record of {} that is not an alert (offset {}): {}",
                                topic,
                                r.offset(),
                                ControlChars.escape(e.getMessage()));
                        continue;
                    }
                    offer(event);
                }
            }
        } finally {
            threads.forEach(Thread::interrupt);
        }
    }

    /** Takes in one transition: every Alertmanager is to get it. */
    void offer(AlertEvent event) {
        if (event.fingerprint() == null || event.labels() == null) {
            return; // from before alerts had labels: nothing to identify it by in Alertmanager
        }
        latest.put(event.fingerprint(), event);
        for (Target target : targets) {
            target.unsent.put(event.fingerprint(), event);
            synchronized (target) {
                target.notifyAll();
            }
        }
    }

    /** Alertmanager's JSON for {@code events}, as of {@code now}. */
    ArrayNode payload(List<AlertEvent> events, Instant now) {
        ArrayNode alerts = JsonNodeFactory.instance.arrayNode();
        for (AlertEvent e : events) {
            ObjectNode alert = alerts.addObject();
            ObjectNode labels = alert.putObject("labels");
            e.labels().forEach(labels::put);
            ObjectNode annotations = alert.putObject("annotations");
            if (e.annotations() != null) {
                e.annotations().forEach(annotations::put);
            }
            alert.put("startsAt", e.startsAt());
            if (e.endsAt() != null) {
                alert.put("endsAt", e.endsAt());
            } else {
                // As Prometheus: valid for four resend intervals unless sent again.
                alert.put(
                        "endsAt",
                        now.plus(settings.resendInterval().multipliedBy(4)).toString());
            }
            if (settings.generatorUrl() != null) {
                alert.put("generatorURL", settings.generatorUrl().toString());
            }
        }
        return alerts;
    }

    /** One Alertmanager: what it has not had yet, and its own delivery loop. */
    final class Target {
        final URI url;
        private final URI endpoint;
        private final HttpClient http;
        final Map<String, AlertEvent> unsent = new ConcurrentHashMap<>();
        private Duration backoff = Duration.ZERO;
        private String outage;
        private int outages;

        Target(URI url, HttpClient http) {
            this.url = url;
            String base = url.toString().endsWith("/") ? url.toString() : url + "/";
            this.endpoint = URI.create(base + "api/v2/alerts");
            this.http = http;
        }

        void deliver(StopSignal stop) {
            Instant nextResend = clock.instant().plus(settings.resendInterval());
            while (!stop.isStopped()) {
                Instant now = clock.instant();
                if (!now.isBefore(nextResend)) {
                    latest.forEach((fp, e) -> {
                        if (e.state() == AlertEvent.State.FIRING) {
                            unsent.putIfAbsent(fp, e);
                        }
                    });
                    nextResend = now.plus(settings.resendInterval());
                }
                if (!unsent.isEmpty()) {
                    List<AlertEvent> batch = new ArrayList<>(unsent.values());
                    if (post(batch, now)) {
                        batch.forEach(e -> unsent.remove(e.fingerprint(), e)); // unless a newer one came meanwhile
                        backoff = Duration.ZERO;
                        continue;
                    }
                    backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                }
                try {
                    synchronized (this) {
                        wait(backoff.isZero() ? 1000 : backoff.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private boolean post(List<AlertEvent> batch, Instant now) {
            String problem;
            try {
                HttpRequest request = HttpRequest.newBuilder(endpoint)
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                Json.MAPPER.writeValueAsBytes(payload(batch, now))))
                        .build();
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() / 100 == 2) {
                    if (outage != null) {
                        log.warn(
                                "alertmanager: {} is reachable again; sent the {} alert(s) kept meanwhile",
                                url,
                                batch.size());
                        outage = null;
                    }
                    return true;
                }
                problem = "it answered HTTP " + response.statusCode() + ": "
                        + ControlChars.escape(abbreviate(response.body()));
                if (response.statusCode() / 100 == 4) {
                    // Alertmanager refuses these alerts for good (a 400 says why): retrying will not help.
                    log.warn("alertmanager: {} refused {} alert(s), dropped: {}", url, batch.size(), problem);
                    return true;
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (outage == null) {
                outage = problem;
                outages++;
                log.warn(
                        "alertmanager: cannot deliver to {} ({}); retrying with backoff up to {} s, the alerts are "
                                + "kept and sent when it is back",
                        url,
                        problem,
                        MAX_BACKOFF.toSeconds());
            }
            return false;
        }

        int outages() {
            return outages;
        }
    }

    List<Target> targets() {
        return targets;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s.strip() : s.substring(0, 200) + "...";
    }
}
