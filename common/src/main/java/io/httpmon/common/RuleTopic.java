package io.httpmon.common;

import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.RuleDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the {@code alert-rules} topic (compacted, one partition, key the rule's name): for
 * alert-service seeding it from its config file, and for {@code httpmon rules}.
 */
public final class RuleTopic {

    private static final Logger log = LoggerFactory.getLogger(RuleTopic.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaOptions kafka;
    private final String topic;

    public RuleTopic(KafkaOptions kafka) {
        this.kafka = kafka;
        this.topic = Topics.ALERT_RULES.name(kafka.topicPrefix());
    }

    /**
     * Every rule on the topic, by name, as it stands (its latest record; deleted rules are absent). A record that is
     * not a valid rule is left out and said.
     *
     * @throws TimeoutException when Kafka does not answer within 30 s
     */
    public Map<String, RuleDefinition> read() {
        Properties props = ClientConfigs.standaloneConsumer(kafka.clientProperties());
        Map<String, RuleDefinition> rules = new TreeMap<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), WAIT).get(partition);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(partition, WAIT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " took over " + WAIT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        rules.remove(r.key());
                        continue;
                    }
                    try {
                        RuleDefinition d =
                                Topics.ALERT_RULES.valueSerde().deserializer().deserialize(topic, r.value());
                        if (d.rule() != null && d.rule().name().equals(r.key())) {
                            rules.put(r.key(), d);
                        }
                    } catch (SerializationException | io.httpmon.common.UsageException e) {
                        log.warn(
                                "{}: the record of {} at offset {} is not a valid rule, ignored: {}",
                                topic,
                                r.key(),
                                r.offset(),
                                e.getMessage());
                        rules.remove(r.key());
                    }
                }
            }
        }
        return rules;
    }

    /** Writes {@code changes} (a null definition deletes the rule) and waits until Kafka has them all. */
    public void write(Map<String, RuleDefinition> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(WAIT.toMillis()));
        // Kafka wants at least linger.ms + request.timeout.ms (30 s) here.
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(WAIT.toMillis() * 2));
        try (KafkaProducer<String, RuleDefinition> producer = new KafkaProducer<>(
                props, new StringSerializer(), Topics.ALERT_RULES.valueSerde().serializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            changes.forEach(
                    (name, definition) -> sent.add(producer.send(new ProducerRecord<>(topic, 0, name, definition))));
            for (var f : sent) {
                f.get(WAIT.toMillis() * 2 + 5000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write the alert rules to " + topic + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "writing the alert rules to " + topic + " took over " + WAIT.toSeconds() * 2 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the alert rules");
        }
    }

    /**
     * Puts {@code rules} in force as applied by hand ({@code httpmon rules apply}, the dashboard): new ones added,
     * changed ones replaced, others left as they are.
     *
     * @return a line per rule: added, changed or unchanged
     */
    public List<String> apply(List<AlertRule> rules) {
        Map<String, RuleDefinition> current = read();
        Map<String, RuleDefinition> changes = new LinkedHashMap<>();
        List<String> said = new ArrayList<>();
        for (AlertRule rule : rules) {
            RuleDefinition now = current.get(rule.name());
            RuleDefinition next = new RuleDefinition(rule, RuleDefinition.CLI);
            if (!next.equals(now)) {
                changes.put(rule.name(), next);
            }
            said.add(rule.name() + (now == null ? ": added" : next.equals(now) ? ": unchanged" : ": changed"));
        }
        write(changes);
        return said;
    }

    /**
     * Deletes rule {@code name} (a firing one resolves).
     *
     * @throws UsageException when there is no such rule, naming those there are
     */
    public void delete(String name) {
        Map<String, RuleDefinition> current = read();
        if (!current.containsKey(name)) {
            throw new UsageException("no alert rule named " + ControlChars.escape(name)
                    + (current.isEmpty() ? "; there is none" : "; the rules: " + String.join(", ", current.keySet())));
        }
        Map<String, RuleDefinition> delete = new LinkedHashMap<>();
        delete.put(name, null);
        write(delete);
    }

    /**
     * What seeding the topic with a config file's rules changes: the file is in charge of the rules it put there
     * (added, changed, deleted with the file), and a rule applied with {@code httpmon rules} stays as it was applied
     * (a same-named rule in the file does not overwrite it; said).
     *
     * @param current the topic's rules
     * @param notes what to tell the operator, appended to
     * @return the changes to write (null: delete)
     */
    public static Map<String, RuleDefinition> seed(
            Map<String, RuleDefinition> current, List<AlertRule> fileRules, List<String> notes) {
        Map<String, RuleDefinition> changes = new LinkedHashMap<>();
        for (AlertRule rule : fileRules) {
            RuleDefinition now = current.get(rule.name());
            if (now == null
                    || (now.source().equals(RuleDefinition.CONFIG)
                            && !now.rule().equals(rule))) {
                changes.put(rule.name(), new RuleDefinition(rule, RuleDefinition.CONFIG));
                notes.add("alert rule " + rule.name() + (now == null ? ": added" : ": changed") + " from the config");
            } else if (!now.source().equals(RuleDefinition.CONFIG)
                    && !now.rule().equals(rule)) {
                notes.add("alert rule " + rule.name() + ": the one applied with 'httpmon rules' is in force, not the "
                        + "config's ('httpmon rules apply -c FILE' makes the file's the rule)");
            }
        }
        for (RuleDefinition d : current.values()) {
            if (d.source().equals(RuleDefinition.CONFIG)
                    && fileRules.stream()
                            .noneMatch(r -> r.name().equals(d.rule().name()))) {
                changes.put(d.rule().name(), null);
                notes.add("alert rule " + d.rule().name() + ": deleted (no longer in the config)");
            }
        }
        return changes;
    }

    /** Seeds the topic with {@code fileRules} (see {@link #seed(Map, List, List)}), saying what changed. */
    public void seed(List<AlertRule> fileRules) {
        List<String> notes = new ArrayList<>();
        Map<String, RuleDefinition> current = read();
        write(seed(current, fileRules, notes));
        notes.forEach(log::info);
    }
}
