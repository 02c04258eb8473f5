package io.httpmon.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.Json;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.RuleTopic;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IniFile;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows, kept from Kafka: the last 15 minutes (of event time) of {@code hits-per-second}, the
 * latest {@code stats} windows of each monitor (the default one and each {@code [Stats NAME]}, a grouped monitor's
 * groups of its latest window only), the alert transitions and the rules. On start it reads back that much history (so a
 * browser that connects sees it at once), then follows the topics and hands every new record to the listeners
 * (the server's event streams). Values are passed on as the topics' JSON; the page shows text as text.
 */
public final class DashboardFeed {

    private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);
    /** Seconds of per-second history kept and sent on connect. */
    static final int SECONDS = 900;

    private static final int STATS_KEPT = 90;
    /** Stats records read back on start: enough for {@link #STATS_KEPT} windows of a few monitors with groups. */
    private static final int STATS_READ_BACK = STATS_KEPT * 20;

    private static final int TRANSITIONS_KEPT = 200;

    private final KafkaOptions kafka;
    private final Deque<JsonNode> seconds = new ArrayDeque<>();
    /** Per monitor ("" the default one), its latest windows; each grouped monitor's groups of its latest window. */
    private final Map<String, Deque<JsonNode>> stats = new java.util.TreeMap<>();

    private final Map<String, List<JsonNode>> groups = new java.util.TreeMap<>();
    private final Deque<JsonNode> transitions = new ArrayDeque<>();
    private final Map<String, JsonNode> rules = new LinkedHashMap<>();
    private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
    private long sequence;

    public DashboardFeed(KafkaOptions kafka) {
        this.kafka = kafka;
    }

    /** Everything kept, as one {@code history} event (under the lock that orders it before later updates). */
    synchronized ObjectNode snapshot() {
        ObjectNode history = JsonNodeFactory.instance.objectNode();
        history.put("type", "history");
        history.put("id", sequence);
        history.putArray("seconds").addAll(new ArrayList<>(seconds));
        ArrayNode statsList = history.putArray("stats");
        stats.values().forEach(statsList::addAll);
        groups.values().forEach(statsList::addAll);
        history.putArray("alerts").addAll(new ArrayList<>(transitions));
        ArrayNode ruleList = history.putArray("rules");
        rules.values().forEach(ruleList::add);
        return history;
    }

    /**
     * Registers {@code listener} for every update after the snapshot it is given first, atomically: nothing is
     * missed or seen twice between the two.
     */
    synchronized ObjectNode subscribe(Consumer<ObjectNode> listener) {
        listeners.add(listener);
        return snapshot();
    }

    void unsubscribe(Consumer<ObjectNode> listener) {
        listeners.remove(listener);
    }

    /** Reads history, then follows the topics until stopped. */
    public void run(StopSignal stop) {
        if (!TopicAdmin.ensureTopics(
                kafka, List.of(Topics.HITS_PER_SECOND, Topics.STATS, Topics.ALERTS, Topics.ALERT_RULES), stop)) {
            return;
        }
        String prefix = kafka.topicPrefix();
        TopicPartition secondsTopic = new TopicPartition(Topics.HITS_PER_SECOND.name(prefix), 0);
        TopicPartition statsTopic = new TopicPartition(Topics.STATS.name(prefix), 0);
        TopicPartition alertsTopic = new TopicPartition(Topics.ALERTS.name(prefix), 0);
        TopicPartition rulesTopic = new TopicPartition(Topics.ALERT_RULES.name(prefix), 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = List.of(secondsTopic, statsTopic, alertsTopic, rulesTopic);
            consumer.assign(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all, Duration.ofSeconds(30));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(all, Duration.ofSeconds(30));
            // History by records: a second with requests is one record, so the last 900 hold at least 15 minutes.
            seekBack(consumer, secondsTopic, starts, ends, SECONDS);
            seekBack(consumer, statsTopic, starts, ends, STATS_READ_BACK);
            seekBack(consumer, alertsTopic, starts, ends, TRANSITIONS_KEPT);
            consumer.seek(rulesTopic, starts.get(rulesTopic));
            while (!stop.isStopped()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    take(r.topic(), r.key(), r.value());
                }
            }
        }
    }

    /**
     * Applies the rules and monitors of {@code text} (a config file's {@code [Alerts]}, {@code [Alert NAME]} and
     * {@code [Stats NAME]} sections) as {@code httpmon rules apply} and {@code httpmon monitors apply} do.
     *
     * @return a line per rule and monitor: added, changed or unchanged
     * @throws io.httpmon.common.UsageException naming the line and key of a mistake ("page:LINE: ...")
     */
    String applyRules(String text) {
        IniFile ini = IniFile.parse(java.nio.file.Path.of("page"), text);
        for (String section : ini.sections()) {
            // Rules and monitors only: the other sections configure this process (its files, Kafka, the page's
            // credentials), and a text from a browser must not make it read a file.
            if (!section.equals("Alerts") && !section.startsWith("Alert ") && !section.startsWith("Stats ")) {
                throw new io.httpmon.common.UsageException("page:" + ini.line(section) + ": [" + section
                        + "] is not a rule nor a monitor: the page takes [Alert NAME], [Alerts] and [Stats NAME] "
                        + "sections");
            }
        }
        FileConfig config = FileConfig.of(ini);
        boolean rules = config.rules() != null && !config.rules().isEmpty();
        if (!rules && config.monitors().isEmpty()) {
            throw new io.httpmon.common.UsageException("no rule nor monitor: write [Alert NAME] sections (kind, "
                    + "threshold, window, ...), [Alerts] NAME = THRESHOLD, SECONDS, or [Stats NAME] sections");
        }
        List<String> said = new ArrayList<>();
        if (rules) {
            said.addAll(new RuleTopic(kafka).apply(config.rules()));
        }
        if (!config.monitors().isEmpty()) {
            TopicAdmin.ensureTopics(kafka, List.of(Topics.MONITORS), new StopSignal());
            new io.httpmon.common.MonitorTopic(kafka)
                    .apply(config.monitors())
                    .forEach(line -> said.add("monitor " + line));
        }
        return String.join("\n", said) + "\n";
    }

    /** Deletes rule {@code name}, as {@code httpmon rules delete} does. */
    String deleteRule(String name) {
        new RuleTopic(kafka).delete(name);
        return name + ": deleted\n";
    }

    private static void seekBack(
            KafkaConsumer<?, ?> consumer,
            TopicPartition p,
            Map<TopicPartition, Long> starts,
            Map<TopicPartition, Long> ends,
            int records) {
        consumer.seek(p, Math.max(starts.get(p), ends.get(p) - records));
    }

    /** One record of one of the topics (value null: a control record or a deleted rule). */
    synchronized void take(String topic, String key, byte[] value) {
        String prefix = kafka.topicPrefix();
        JsonNode json;
        try {
            json = value == null ? null : Json.MAPPER.readTree(value);
        } catch (IOException e) {
            log.debug("dashboard: skipped a record of {} that is not JSON", topic);
            return;
        }
        ObjectNode update = JsonNodeFactory.instance.objectNode();
        if (topic.equals(Topics.HITS_PER_SECOND.name(prefix)) && json != null) {
            seconds.addLast(json);
            Instant latest = Instant.parse(json.path("second").asText());
            while (!seconds.isEmpty()
                    && Instant.parse(seconds.peekFirst().path("second").asText())
                            .isBefore(latest.minusSeconds(SECONDS))) {
                seconds.removeFirst();
            }
            update.put("type", "second").set("data", json);
        } else if (topic.equals(Topics.STATS.name(prefix)) && json != null) {
            String monitor = json.path("monitor").asText("");
            if (json.has("group")) {
                // Only the latest window's groups: a monitor's groups are many, and the page lists the latest.
                List<JsonNode> latest = groups.computeIfAbsent(monitor, m -> new ArrayList<>());
                if (!latest.isEmpty() && !latest.get(0).path("window_start").equals(json.path("window_start"))) {
                    latest.clear();
                }
                latest.add(json);
            } else {
                keep(stats.computeIfAbsent(monitor, m -> new ArrayDeque<>()), json, STATS_KEPT);
            }
            update.put("type", "stats").set("data", json);
        } else if (topic.equals(Topics.ALERTS.name(prefix)) && json != null) {
            keep(transitions, json, TRANSITIONS_KEPT);
            update.put("type", "alert").set("data", json);
        } else if (topic.equals(Topics.ALERT_RULES.name(prefix)) && key != null) {
            if (json == null || !json.has("rule")) {
                rules.remove(key);
            } else {
                rules.put(key, json.get("rule"));
            }
            update.put("type", "rules");
            ArrayNode list = update.putArray("data");
            rules.values().forEach(list::add);
        } else {
            return;
        }
        update.put("id", ++sequence);
        for (Consumer<ObjectNode> listener : listeners) {
            listener.accept(update);
        }
    }

    private static void keep(Deque<JsonNode> deque, JsonNode json, int max) {
        deque.addLast(json);
        while (deque.size() > max) {
            deque.removeFirst();
        }
    }
}
