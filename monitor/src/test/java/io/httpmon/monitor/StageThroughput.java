package io.httpmon.monitor;

import io.httpmon.alert.AlertCommand;
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
import io.httpmon.stats.StatsCommand;
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

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        long lines;
        try (var stream = Files.lines(file)) {
            lines = stream.count();
        }
        Path dir = Files.createTempDirectory("httpmon-stages");
        ExecutorService executor = Executors.newCachedThreadPool();
        Map<String, Double> seconds = new HashMap<>();
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), "127.0.0.1", 0, Duration.ofSeconds(60))) {
            KafkaOptions kafka = args.length > 2
                    ? KafkaOptions.of(broker.bootstrapServers(), "bench.", partitions, Path.of(args[2]))
                    : KafkaOptions.of(broker.bootstrapServers(), "bench.", partitions);

            long start = System.nanoTime();
            new ReaderService(new ReaderSettings(file, "bench", FileFollower.Start.BEGINNING, true,
                    Duration.ofMillis(100), ReaderSettings.DEFAULT_MAX_LINE_BYTES,
                    ReaderSettings.DEFAULT_MAX_BATCH_BYTES), kafka).run(new StopSignal());
            seconds.put("reader", (System.nanoTime() - start) / 1e9);

            start = System.nanoTime();
            StopSignal parserStop = new StopSignal();
            Future<?> parser = executor.submit(() -> new ParserService(kafka, "bench-0").run(parserStop));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                awaitConsumed(admin, ParserService.groupId("bench."), Topics.RAW_LINES.name("bench."));
            }
            seconds.put("parser", (System.nanoTime() - start) / 1e9);
            parserStop.stop();
            parser.get();

            start = System.nanoTime();
            StopSignal statsStop = new StopSignal();
            Future<?> stats = executor.submit(() -> StatsCommand.run(kafka, new StatsSettings(10,
                    Duration.ofSeconds(2), 10, Duration.ofSeconds(1)), dir.resolve("stats-state"), statsStop));
            awaitEndOfInput(broker.bootstrapServers(), Topics.STATS.name("bench."));
            seconds.put("stats", (System.nanoTime() - start) / 1e9);
            statsStop.stop();
            stats.get();

            start = System.nanoTime();
            StopSignal alertStop = new StopSignal();
            Future<?> alert = executor.submit(() -> AlertCommand.run(kafka, new AlertSettings(List.of(
                    new AlertRule("alert_1", 10, 120), new AlertRule("alert_2", 2500, 10)), Duration.ofSeconds(2),
                    Duration.ofSeconds(1)), dir.resolve("alert-state"), alertStop));
            awaitEndOfInput(broker.bootstrapServers(), Topics.ALERTS.name("bench."));
            seconds.put("alert", (System.nanoTime() - start) / 1e9);
            alertStop.stop();
            alert.get();
        } finally {
            executor.shutdownNow();
        }
        List<String> fields = new ArrayList<>();
        for (String stage : List.of("reader", "parser", "stats", "alert")) {
            double s = seconds.get(stage);
            fields.add(String.format(Locale.ROOT, "\"%s\": {\"seconds\": %.1f, \"lines_per_s\": %.0f}", stage, s,
                    lines / s));
        }
        System.out.printf(Locale.ROOT, "{\"lines\": %d, \"partitions\": %d, %s}%n", lines, partitions,
                String.join(", ", fields));
        System.exit(0);
    }

    /**
     * Until the group's committed offsets reach the last record of every partition of the topic. The topic is
     * written in transactions, so its end offset is one past the last commit marker, which the group's committed
     * offset (the next record to read) does not count.
     */
    private static void awaitConsumed(Admin admin, String group, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
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
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
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
                    if (r.headers().lastHeader(Control.CONTROL) != null && Control.END_OF_INPUT.equals(
                            new String(r.headers().lastHeader(Control.CONTROL).value(),
                                    java.nio.charset.StandardCharsets.UTF_8))) {
                        ended.add(r.partition());
                    }
                }
            }
        }
    }
}
