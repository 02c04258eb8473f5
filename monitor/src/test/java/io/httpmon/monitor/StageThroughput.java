package io.httpmon.monitor;

import io.httpmon.alert.AlertService;
import io.httpmon.alert.AlertSettings;
import io.httpmon.broker.KafkaBroker;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.parser.ParserService;
import io.httpmon.reader.FileFollower;
import io.httpmon.reader.ReaderService;
import io.httpmon.reader.ReaderSettings;
import io.httpmon.stats.StatsService;
import io.httpmon.stats.StatsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Each stage alone against the broker, for the benchmark (not a test): the reader publishes the file
 * ({@code --once}), then the parser turns all of it into requests, then stats, then alert each consume all the
 * requests, one stage at a time, so each runs with the machine to itself. A stage's time runs from its start
 * (its Kafka clients included, not the JVM) to the moment its last output is committed. Prints one JSON object.
 *
 * <p>{@code java -cp monitor/target/httpmon.jar:monitor/target/test-classes io.httpmon.monitor.StageThroughput
 * FILE PARTITIONS [CLIENT_PROPERTIES]} (the last, as {@code --kafka-config}: e.g. another
 * {@code commit.interval.ms}).
 */
public final class StageThroughput {

    /** Parser instances (env STAGES_PARSERS, default 1): a deployment runs one per core it gives the stage. */
    private static final int PARSERS = Integer.parseInt(System.getenv().getOrDefault("STAGES_PARSERS", "1"));

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        long lines;
        try (var stream = Files.lines(file)) {
            lines = stream.count();
        }
        Path dir = Files.createTempDirectory("httpmon-stages");
        Map<String, Double> seconds = new HashMap<>();
        Map<String, Double> steady = new HashMap<>();
        String bootstrap = System.getenv("STAGES_BOOTSTRAP");
        if (bootstrap != null && !bootstrap.isBlank()) {
            stages(bootstrap, file, lines, partitions, args, dir, seconds, steady); // a broker in a JVM of its own
        } else {
            try (KafkaBroker broker =
                    KafkaBroker.start(dir.resolve("broker"), "127.0.0.1", 0, Duration.ofSeconds(60))) {
                stages(broker.bootstrapServers(), file, lines, partitions, args, dir, seconds, steady);
            }
        }
        List<String> fields = new ArrayList<>();
        for (String stage : List.of("reader", "parser", "stats", "alert")) {
            double s = seconds.get(stage);
            fields.add(String.format(
                    Locale.ROOT,
                    "\"%s\": {\"seconds\": %.1f, \"lines_per_s\": %.0f, " + "\"steady_lines_per_s\": %.0f}",
                    stage,
                    s,
                    lines / s,
                    steady.get(stage)));
        }
        System.out.printf(
                Locale.ROOT, "{\"lines\": %d, \"partitions\": %d, %s}%n", lines, partitions, String.join(", ", fields));
        System.exit(0);
    }

    /** Reader, parser, stats and alert one after the other on the topics of prefix "bench.", into the two maps. */
    private static void stages(
            String bootstrap,
            Path file,
            long lines,
            int partitions,
            String[] args,
            Path dir,
            Map<String, Double> seconds,
            Map<String, Double> steady)
            throws Exception {
        String prefix = "bench.";
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            KafkaOptions kafka = args.length > 2
                    ? KafkaOptions.of(bootstrap, prefix, partitions, Path.of(args[2]))
                    : KafkaOptions.of(bootstrap, prefix, partitions);

            Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
            Progress readerProgress = new Progress(() -> endOffsets(admin, Topics.RAW_LINES.name(prefix)));
            long start = System.nanoTime();
            new ReaderService(
                            new ReaderSettings(
                                    file,
                                    prefix + "source",
                                    FileFollower.Start.BEGINNING,
                                    true,
                                    Duration.ofMillis(100),
                                    ReaderSettings.DEFAULT_MAX_LINE_BYTES,
                                    ReaderSettings.DEFAULT_MAX_BATCH_BYTES),
                            kafka)
                    .run(new StopSignal());
            seconds.put("reader", (System.nanoTime() - start) / 1e9);
            steady.put("reader", readerProgress.stop(lines));

            Progress parserProgress = new Progress(() -> endOffsets(admin, Topics.REQUESTS.name(prefix)));
            start = System.nanoTime();
            StopSignal parserStop = new StopSignal();
            List<Future<?>> parsers = new ArrayList<>();
            for (int i = 0; i < PARSERS; i++) {
                String id = prefix + "parser-" + i;
                parsers.add(executor.submit(() -> new ParserService(kafka, id).run(parserStop)));
            }
            awaitConsumed(admin, ParserService.groupId(prefix), Topics.RAW_LINES.name(prefix));
            seconds.put("parser", (System.nanoTime() - start) / 1e9);
            steady.put("parser", parserProgress.stop(lines));
            parserStop.stop();
            for (Future<?> parser : parsers) {
                parser.get();
            }

            Progress statsProgress =
                    new Progress(() -> committed(admin, prefix + "stats", Topics.REQUESTS.name(prefix)));
            start = System.nanoTime();
            StopSignal statsStop = new StopSignal();
            Future<?> stats = executor.submit(() -> new StatsService(
                            kafka,
                            new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1)),
                            dir.resolve("stats-state"))
                    .run(statsStop));
            awaitEndOfInput(bootstrap, Topics.STATS.name(prefix));
            seconds.put("stats", (System.nanoTime() - start) / 1e9);
            steady.put("stats", statsProgress.stop(lines));
            statsStop.stop();
            stats.get();

            Progress alertProgress =
                    new Progress(() -> committed(admin, prefix + "alert", Topics.REQUESTS.name(prefix)));
            start = System.nanoTime();
            StopSignal alertStop = new StopSignal();
            Future<?> alert = executor.submit(() -> new AlertService(
                            kafka,
                            new AlertSettings(
                                    List.of(new AlertRule("alert_1", 10, 120), new AlertRule("alert_2", 2500, 10)),
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(1)),
                            dir.resolve("alert-state"))
                    .run(alertStop));
            awaitEndOfInput(bootstrap, Topics.ALERTS.name(prefix));
            seconds.put("alert", (System.nanoTime() - start) / 1e9);
            steady.put("alert", alertProgress.stop(lines));
            alertStop.stop();
            alert.get();
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * A stage's output (or committed input) sampled every 10 ms from another thread: its steady rate is measured
     * from the first progress seen to the last, leaving out the stage's start-up (client connections, group joins,
     * Streams' state restoration), which is a fixed cost however long the input.
     */
    private static final class Progress {
        private final Thread sampler;
        private volatile boolean stopped;
        private long firstNanos = -1;
        private long firstValue;
        private long lastNanos;
        private long lastValue;

        Progress(java.util.function.LongSupplier value) {
            sampler = new Thread(() -> {
                while (!stopped) {
                    long v = value.getAsLong();
                    long now = System.nanoTime();
                    if (v > lastValue) {
                        if (firstNanos < 0) {
                            firstNanos = now;
                            firstValue = v;
                        }
                        lastNanos = now;
                        lastValue = v;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
        }

        /** Lines per second between the first and the last progress seen, for an input of {@code lines}. */
        double stop(long lines) throws InterruptedException {
            Thread.sleep(50);
            stopped = true;
            sampler.join();
            if (firstNanos < 0 || lastNanos <= firstNanos) {
                return Double.NaN;
            }
            double share = (lastValue - firstValue) / (double) lastValue;
            return lines * share / ((lastNanos - firstNanos) / 1e9);
        }
    }

    private static long endOffsets(Admin admin, String topic) {
        try {
            var partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        } catch (Exception notYet) {
            return 0;
        }
    }

    private static long committed(Admin admin, String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        } catch (Exception notYet) {
            return 0;
        }
    }

    /**
     * Until the group's committed offsets reach the last record of every partition of the topic. The topic is
     * written in transactions, so its end offset is one past the last commit marker, which the group's committed
     * offset (the next record to read) does not count.
     */
    private static void awaitConsumed(Admin admin, String group, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            boolean done = ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue() - 1);
            if (done) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Until the end-of-input marker is on (every partition of) the topic, read_committed. */
    private static void awaitEndOfInput(String bootstrap, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty()) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                Thread.sleep(partitions.isEmpty() ? 50 : 0);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.Set<Integer> ended = new java.util.HashSet<>();
            while (ended.size() < partitions.size()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    Control control = Control.read(r.headers(), r.timestamp());
                    if (control != null && control.kind() == Control.Kind.END_OF_INPUT) {
                        ended.add(r.partition());
                    }
                }
            }
        }
    }
}
