package io.httpmon.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedBroker.class)
class ReaderServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    private static void append(Path file, int from, int to) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int i = from; i < to; i++) {
                out.write("line-" + i + "\n");
            }
        }
    }

    /** The lines of the chunks among {@code records}: each line of a chunk is followed by a newline. */
    private static List<String> dataLines(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!Control.isControl(r.headers())) {
                String chunk = new String(r.value(), StandardCharsets.UTF_8);
                assertTrue(chunk.endsWith("\n"), "a chunk holds whole lines");
                lines.addAll(List.of(chunk.substring(0, chunk.length() - 1).split("\n", -1)));
            }
        }
        return lines;
    }

    private static java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> linesAtLeast(int n) {
        return records -> dataLines(records).size() >= n;
    }

    /** Each of line-0 .. line-(n-1) exactly once, in any order across partitions. */
    private static void assertExactlyOnce(int n, List<String> lines) {
        Map<String, Integer> seen = new HashMap<>();
        lines.forEach(l -> seen.merge(l, 1, Integer::sum));
        List<String> duplicated = seen.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .limit(5)
                .toList();
        assertEquals(List.of(), duplicated, "lines published twice");
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n && missing.size() < 5; i++) {
            if (!seen.containsKey("line-" + i)) {
                missing.add("line-" + i);
            }
        }
        assertEquals(List.of(), missing, "lines lost");
        assertEquals(n, lines.size());
    }

    /** A reader running on the executor until {@link #stop}. */
    private record RunningReader(StopSignal signal, Future<?> run) {
        /** Stops it and waits for it to finish. */
        void stop() throws Exception {
            signal.stop();
            run.get(60, TimeUnit.SECONDS);
        }
    }

    private RunningReader startReader(ReaderSettings settings, KafkaOptions kafka) {
        StopSignal stop = new StopSignal();
        return new RunningReader(stop, runReader(settings, kafka, stop));
    }

    private Future<?> runReader(ReaderSettings settings, KafkaOptions kafka, StopSignal stop) {
        return executor.submit(() -> new ReaderService(settings, kafka).run(stop));
    }

    private ReaderSettings settings(Path file, String id, boolean once) {
        return new ReaderSettings(
                file,
                id,
                FileFollower.Start.BEGINNING,
                once,
                Duration.ofMillis(20),
                ReaderSettings.DEFAULT_MAX_LINE_BYTES,
                64 * 1024);
    }

    @Test
    void everyChunkOfAW3cLogCarriesTheFieldsDirectiveInForceAlsoAfterARestart() throws Exception {
        String prefix = SharedBroker.uniquePrefix("reader-w3c");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 3);
        Path log = dir.resolve("u_ex261202.log");
        String first = "#Fields: date time c-ip cs-method cs-uri-stem sc-status";
        String second = "#Fields: date time c-ip cs-method cs-uri-stem sc-status time-taken";
        List<String> lines = new ArrayList<>(List.of("#Software: Microsoft Internet Information Services 10.0", first));
        for (int i = 0; i < 3000; i++) {
            lines.add("2026-12-02 10:00:00 10.0.0." + (i % 200) + " GET /line-" + i + " 200");
        }
        Files.write(log, lines);
        RunningReader running = startReader(settings(log, "w3c", false), kafka);
        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
            topic.readUntil(linesAtLeast(3002), WAIT);
            running.stop();
            // After a restart (the directive's line long published) and a new directive mid-file (IIS restarted).
            Files.write(
                    log, List.of(second, "2026-12-02 10:00:01 10.0.0.1 GET /after 200 15"), StandardOpenOption.APPEND);
            RunningReader rerun = startReader(settings(log, "w3c", false), kafka);
            List<ConsumerRecord<byte[], byte[]>> records = topic.readUntil(linesAtLeast(3004), WAIT);
            rerun.stop();
            int withFirst = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (Control.read(r.headers(), r.timestamp()) != null) {
                    continue;
                }
                String text = new String(r.value(), StandardCharsets.UTF_8);
                var header = r.headers().lastHeader(ChunkHeaders.FIELDS_DIRECTIVE);
                if (text.startsWith("#Software")) {
                    assertEquals(null, header, "no directive before the first one");
                } else if (text.contains("/after")) {
                    // the directive in force at the chunk's first line: the new one when it came in a chunk before
                    assertEquals(
                            text.startsWith("#Fields") ? first : second,
                            new String(header.value(), StandardCharsets.UTF_8));
                } else {
                    assertEquals(
                            first,
                            new String(header.value(), StandardCharsets.UTF_8),
                            text.substring(0, Math.min(40, text.length())));
                    withFirst++;
                }
            }
            assertTrue(withFirst >= 2, "the lines were spread over several chunks: " + withFirst);
        }
    }

    @Test
    void restartResumesWhereTheCommittedLinesEndAcrossRotations() throws Exception {
        String prefix = SharedBroker.uniquePrefix("reader-restart");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 3);
        Path log = dir.resolve("access.log");
        append(log, 0, 1000);

        RunningReader running = startReader(settings(log, "r1", false), kafka);
        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
            topic.readUntil(linesAtLeast(1000), WAIT);
            append(log, 1000, 1500);
            Files.move(log, dir.resolve("access.log.1"));
            append(log, 1500, 2000);
            topic.readUntil(linesAtLeast(2000), WAIT);
            running.stop();

            // Written while the reader is down, including a rotation: the restart must finish the rotated file.
            append(log, 2000, 2500);
            Files.move(log, dir.resolve("access.log.2"));
            append(log, 2500, 3000);

            RunningReader again = startReader(settings(log, "r1", false), kafka);
            topic.readUntil(linesAtLeast(3000), WAIT);
            again.stop();
            assertExactlyOnce(3000, dataLines(topic.readFor(Duration.ofSeconds(2))));
        }
    }

    @Test
    void aRestartBehindAnotherSourcesOpenTransactionWaitsForItAndResumesFromItsOwnCheckpoint() throws Exception {
        // Every source's checkpoints share one partition. A transaction another source has open there (one killed
        // mid-chunk keeps it open until its transaction times out) hides from read_committed consumers all this
        // source's checkpoints committed after it began; resuming from an older one would publish lines twice.
        String prefix = SharedBroker.uniquePrefix("reader-behind");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 3);
        Path log = dir.resolve("access.log");
        append(log, 0, 500);

        RunningReader running = startReader(settings(log, "r1", false), kafka);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "reader-other");
        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix));
                KafkaProducer<String, byte[]> other =
                        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            topic.readUntil(linesAtLeast(500), WAIT);
            other.initTransactions();
            other.beginTransaction();
            other.send(new ProducerRecord<>(Topics.READER_CHECKPOINTS.name(prefix), 0, "other", null))
                    .get(30, TimeUnit.SECONDS);
            append(log, 500, 1000); // its checkpoints now come after the other source's open transaction
            topic.readUntil(linesAtLeast(1000), WAIT);
            running.stop();

            RunningReader again = startReader(settings(log, "r1", false), kafka);
            Thread.sleep(3000); // the restart is waiting for the other transaction now
            other.abortTransaction();
            append(log, 1000, 1200);
            topic.readUntil(linesAtLeast(1200), WAIT);
            again.stop();
            assertExactlyOnce(1200, dataLines(topic.readFor(Duration.ofSeconds(2))));
        }
    }

    @Test
    void killedWithSigkillMidStreamThenRestartedPublishesEveryLineOnce() throws Exception {
        String prefix = SharedBroker.uniquePrefix("reader-kill");
        Path log = dir.resolve("access.log");
        int total = 200_000;
        List<String> args = List.of(
                "-f",
                log.toString(),
                "--from-beginning",
                "--bootstrap-servers",
                SharedBroker.bootstrapServers(),
                "--topic-prefix",
                prefix,
                "--partitions",
                "3",
                "--poll-interval-ms",
                "10");
        Path jar = Path.of("target", "reader-service.jar");

        Future<?> writer = executor.submit(() -> {
            for (int i = 0; i < total; i += 5_000) {
                append(log, i, i + 5_000);
                Thread.sleep(150);
            }
            return null;
        });
        ServiceProcess first = ServiceProcess.start(jar, "reader", args);
        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
            try (first) {
                List<ConsumerRecord<byte[], byte[]>> seen = topic.readUntil(linesAtLeast(30_000), WAIT);
                first.kill();
                int lines = dataLines(seen).size();
                assertTrue(
                        lines >= 30_000 && lines < total,
                        () -> "the kill must come mid-stream, after " + lines + " of " + total + " lines");
            }
            writer.get(60, TimeUnit.SECONDS);
            try (ServiceProcess reader = ServiceProcess.start(jar, "reader-restarted", args)) {
                topic.readUntil(linesAtLeast(total), WAIT);
                assertTrue(reader.output().contains("Resuming"), "the restart resumed from the saved position");
                assertEquals(0, reader.stop(), "SIGTERM is a clean stop");
            }
            assertExactlyOnce(total, dataLines(topic.readFor(Duration.ofSeconds(2))));
        }
    }

    @Test
    void atTheEndOfAQuietFileEveryPartitionGetsIdleHeartbeatsAfterTheLines() throws Exception {
        String prefix = SharedBroker.uniquePrefix("reader-idle");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 3);
        Path log = dir.resolve("access.log");
        append(log, 0, 30);
        long started = System.currentTimeMillis();
        StopSignal stop = new StopSignal();
        Future<?> reader = runReader(settings(log, "idle", false), kafka, stop);
        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
            // 30 lines, then at least two rounds of heartbeats (one per partition each).
            List<ConsumerRecord<byte[], byte[]>> records = topic.readUntil(
                    r -> dataLines(r).size() >= 30
                            && r.stream().filter(x -> is(x, Control.Kind.IDLE)).count() >= 6,
                    WAIT);
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition =
                    records.stream().collect(java.util.stream.Collectors.groupingBy(ConsumerRecord::partition));
            assertEquals(java.util.Set.of(0, 1, 2), byPartition.keySet());
            for (List<ConsumerRecord<byte[], byte[]>> partition : byPartition.values()) {
                ConsumerRecord<byte[], byte[]> last = partition.get(partition.size() - 1);
                assertEquals(
                        Control.Kind.IDLE,
                        Control.read(last.headers(), last.timestamp()).kind());
                assertTrue(
                        last.timestamp() >= started + ReaderService.HEARTBEAT_MS,
                        "a heartbeat carries the reader's clock, a second after the file went quiet");
                assertTrue(is(partition.get(0), Control.Kind.HELLO), "the reader said hello before its first line");
                boolean seenIdle = false;
                for (ConsumerRecord<byte[], byte[]> r : partition) {
                    boolean idle = is(r, Control.Kind.IDLE);
                    assertTrue(idle || !seenIdle, "no line after a heartbeat: the file was quiet");
                    seenIdle |= idle;
                }
            }
            assertEquals(30, dataLines(records).size());
        } finally {
            stop.stop();
            reader.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void onceReadsToTheEndMarksEveryPartitionAndStops() throws Exception {
        String prefix = SharedBroker.uniquePrefix("reader-once");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 4);
        Path log = dir.resolve("access.log");
        append(log, 0, 500);
        Files.writeString(log, "no newline at the end", StandardOpenOption.APPEND);

        runReader(settings(log, "once", true), kafka, new StopSignal()).get(60, TimeUnit.SECONDS);

        try (TopicReader topic = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
            List<ConsumerRecord<byte[], byte[]>> records = topic.readUntil(
                    r -> dataLines(r).size() >= 501
                            && r.stream()
                                            .filter(x -> is(x, Control.Kind.END_OF_INPUT))
                                            .count()
                                    >= 4,
                    WAIT);
            List<String> lines = dataLines(records);
            assertEquals(501, lines.size());
            assertTrue(lines.contains("no newline at the end"));
            // Each chunk says where it starts (line number) and ends (file position): together they tile the file.
            List<ConsumerRecord<byte[], byte[]>> chunks = records.stream()
                    .filter(r -> !Control.isControl(r.headers()))
                    .sorted(java.util.Comparator.comparingLong(r -> header(r, ChunkHeaders.FIRST_LINE)))
                    .toList();
            long next = 1;
            for (ConsumerRecord<byte[], byte[]> chunk : chunks) {
                assertEquals(next, header(chunk, ChunkHeaders.FIRST_LINE));
                next += dataLines(List.of(chunk)).size();
            }
            assertEquals(Files.size(log), header(chunks.get(chunks.size() - 1), ChunkHeaders.END_OFFSET));
            List<Integer> markedPartitions = records.stream()
                    .filter(r -> is(r, Control.Kind.END_OF_INPUT))
                    .map(ConsumerRecord::partition)
                    .sorted()
                    .toList();
            assertEquals(List.of(0, 1, 2, 3), markedPartitions);
        }
    }

    /** Whether {@code record} is a control record of {@code kind}, sent by this test's reader (its source id). */
    private static boolean is(ConsumerRecord<byte[], byte[]> record, Control.Kind kind) {
        Control control = Control.read(record.headers(), record.timestamp());
        return control != null && control.kind() == kind && !control.source().isEmpty();
    }

    private static long header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Long.parseLong(new String(record.headers().lastHeader(name).value(), StandardCharsets.US_ASCII));
    }
}
