package io.httpmon.common;

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
 * Reads and writes a compacted topic of definitions (one partition, key the name, a tombstone deletes): the alert
 * rules ({@link RuleTopic}) and the statistics monitors ({@link MonitorTopic}), which a service seeds from its config
 * file and {@code httpmon rules} / {@code httpmon monitors} change while everything runs.
 *
 * @param <T> what is defined (a rule, a monitor)
 * @param <D> its record on the topic, with who put it there ({@link #CONFIG} or {@link #CLI})
 */
public abstract class DefinitionTopic<T, D> {

    /** Put there by a service seeding the topic from its config file: the file stays in charge of it. */
    public static final String CONFIG = "config";
    /** Put there by hand ({@code httpmon rules apply}, {@code httpmon monitors apply}, the dashboard). */
    public static final String CLI = "cli";

    private static final Logger log = LoggerFactory.getLogger(DefinitionTopic.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaOptions kafka;
    private final Topic<String, D> definitions;
    private final String topic;

    protected DefinitionTopic(KafkaOptions kafka, Topic<String, D> definitions) {
        this.kafka = kafka;
        this.definitions = definitions;
        this.topic = definitions.name(kafka.topicPrefix());
    }

    /** What a definition is, for people: "alert rule", "monitor". */
    protected abstract String what();

    /** The command that applies a file's definitions by hand, for people: "httpmon rules apply -c FILE". */
    protected abstract String applyCommand();

    protected abstract String name(T item);

    /** The record of {@code item} put there by {@code source}. */
    protected abstract D definition(T item, String source);

    /**
     * What {@code definition} defines, checked.
     *
     * @throws UsageException when it is not a valid one
     */
    protected abstract T item(D definition);

    protected abstract String source(D definition);

    /**
     * Every definition on the topic, by name, as it stands (its latest record; deleted ones are absent). A record
     * that is not a valid one is left out and said.
     *
     * @throws TimeoutException when Kafka does not answer within 30 s
     */
    public Map<String, D> read() {
        Properties props = ClientConfigs.standaloneConsumer(kafka.clientProperties());
        Map<String, D> rules = new TreeMap<>();
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
                        D d = definitions.valueSerde().deserializer().deserialize(topic, r.value());
                        T item = d == null ? null : item(d);
                        if (item != null && name(item).equals(r.key())) {
                            rules.put(r.key(), d);
                        }
                    } catch (SerializationException | io.httpmon.common.UsageException e) {
                        log.warn(
                                "{}: the record of {} at offset {} is not a valid {}, ignored: {}",
                                topic,
                                r.key(),
                                r.offset(),
                                what(),
                                e.getMessage());
                        rules.remove(r.key());
                    }
                }
            }
        }
        return rules;
    }

    /**
     * Starts watching the topic from its end now: read the definitions in force after this, then hand them to
     * {@link Watch#onChange}, so a change written in between is not missed.
     */
    public Watch watch() {
        TopicPartition partition = new TopicPartition(topic, 0);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            consumer.assign(List.of(partition));
            consumer.seek(
                    partition, consumer.endOffsets(List.of(partition), WAIT).get(partition));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        return new Watch(consumer, this::read, topic);
    }

    /** Follows the topic and says when the definitions are no longer those in force. */
    public static final class Watch implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final java.util.function.Supplier<? extends Map<String, ?>> read;
        private final String topic;
        private final StopSignal closed = new StopSignal();
        private Thread thread;

        Watch(
                KafkaConsumer<String, byte[]> consumer,
                java.util.function.Supplier<? extends Map<String, ?>> read,
                String topic) {
            this.consumer = consumer;
            this.read = read;
            this.topic = topic;
        }

        /** Runs {@code changed} once, when a record makes the definitions differ from {@code inForce}. */
        public void onChange(Map<String, ?> inForce, Runnable changed) {
            thread = new Thread(
                    () -> {
                        try {
                            while (!closed.isStopped()) {
                                if (consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                                    continue;
                                }
                                if (!read.get().equals(inForce)) {
                                    changed.run();
                                    return;
                                }
                            }
                        } catch (org.apache.kafka.common.errors.WakeupException e) {
                            // closed
                        } catch (RuntimeException e) {
                            log.warn(
                                    "{}: watching for changes failed, they take effect on restart: {}",
                                    topic,
                                    e.getMessage());
                        }
                    },
                    "watch-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            closed.stop();
            consumer.wakeup();
            if (thread != null) {
                try {
                    thread.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Writes {@code changes} (a null definition deletes it) and waits until Kafka has them all. */
    public void write(Map<String, D> changes) {
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
        try (KafkaProducer<String, D> producer = new KafkaProducer<>(
                props, new StringSerializer(), definitions.valueSerde().serializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            changes.forEach(
                    (name, definition) -> sent.add(producer.send(new ProducerRecord<>(topic, 0, name, definition))));
            for (var f : sent) {
                f.get(WAIT.toMillis() * 2 + 5000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write the " + what() + "s to " + topic + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "writing the " + what() + "s to " + topic + " took over " + WAIT.toSeconds() * 2 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the " + what() + "s");
        }
    }

    /**
     * Puts {@code items} in force as applied by hand ({@code httpmon rules apply}, the dashboard): new ones added,
     * changed ones replaced, others left as they are.
     *
     * @return a line per item: added, changed or unchanged
     */
    public List<String> apply(List<T> items) {
        Map<String, D> current = read();
        Map<String, D> changes = new LinkedHashMap<>();
        List<String> said = new ArrayList<>();
        for (T item : items) {
            String name = name(item);
            D now = current.get(name);
            D next = definition(item, CLI);
            if (!next.equals(now)) {
                changes.put(name, next);
            }
            said.add(name + (now == null ? ": added" : next.equals(now) ? ": unchanged" : ": changed"));
        }
        write(changes);
        return said;
    }

    /**
     * Deletes {@code name}.
     *
     * @throws UsageException when there is none of that name, naming those there are
     */
    public void delete(String name) {
        Map<String, D> current = read();
        if (!current.containsKey(name)) {
            throw new UsageException("no " + what() + " named " + ControlChars.escape(name)
                    + (current.isEmpty()
                            ? "; there is none"
                            : "; the " + what() + "s: " + String.join(", ", current.keySet())));
        }
        Map<String, D> delete = new LinkedHashMap<>();
        delete.put(name, null);
        write(delete);
    }

    /**
     * What seeding the topic with a config file's definitions changes: the file is in charge of those it put there
     * (added, changed, deleted with the file), and one applied by hand stays as it was applied (a same-named one in
     * the file does not overwrite it; said).
     *
     * @param current the topic's definitions
     * @param notes what to tell the operator, appended to
     * @return the changes to write (null: delete)
     */
    public Map<String, D> seed(Map<String, D> current, List<T> fromFile, List<String> notes) {
        Map<String, D> changes = new LinkedHashMap<>();
        java.util.Set<String> inFile = new java.util.HashSet<>();
        for (T item : fromFile) {
            String name = name(item);
            inFile.add(name);
            D now = current.get(name);
            D fromConfig = definition(item, CONFIG);
            if (now == null || (source(now).equals(CONFIG) && !now.equals(fromConfig))) {
                changes.put(name, fromConfig);
                notes.add(what() + " " + name + (now == null ? ": added" : ": changed") + " from the config");
            } else if (!source(now).equals(CONFIG) && !now.equals(definition(item, source(now)))) {
                notes.add(what() + " " + name + ": the one applied by hand is in force, not the config's ('"
                        + applyCommand() + "' makes the file's the one)");
            }
        }
        for (var entry : current.entrySet()) {
            if (source(entry.getValue()).equals(CONFIG) && !inFile.contains(entry.getKey())) {
                changes.put(entry.getKey(), null);
                notes.add(what() + " " + entry.getKey() + ": deleted (no longer in the config)");
            }
        }
        return changes;
    }

    /** Seeds the topic with {@code fromFile} (see {@link #seed(Map, List, List)}), saying what changed. */
    public void seed(List<T> fromFile) {
        List<String> notes = new ArrayList<>();
        Map<String, D> current = read();
        write(seed(current, fromFile, notes));
        notes.forEach(log::info);
    }
}
