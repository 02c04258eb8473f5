package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.SmallDisk;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@ExtendWith(SharedBroker.class)
class DisplayServiceIT {

    @TempDir
    Path dir;

    private static StatsWindow stats(int minute, long hits) {
        String end = String.format("2018-05-09T16:%02d:10Z", minute);
        return new StatsWindow(
                end,
                0,
                end,
                end,
                hits,
                hits / 10.0,
                List.of(),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                0,
                0,
                0,
                0,
                0,
                1);
    }

    private static AlertEvent alert(int minute) {
        String at = String.format("2018-05-09T16:%02d:11Z", minute);
        return new AlertEvent(
                "a",
                AlertEvent.State.FIRING,
                5,
                5,
                4,
                2,
                at,
                at,
                null,
                "High traffic generated an alert - hits = 5, triggered at " + at);
    }

    private static void produce(String prefix, List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            // One at a time, each acknowledged: the records are in this order on the topic, or the test fails here
            // with the cause (an unchecked send once lost the first record and the test failed on its output).
            for (ProducerRecord<byte[], byte[]> record : records) {
                try {
                    producer.send(record).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("could not produce the test's records: " + e, e);
                }
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, long ts, byte[] value) {
        return new ProducerRecord<>(topic, 0, ts, null, value);
    }

    private static ProducerRecord<byte[], byte[]> endMarker(String topic) {
        return Control.endOfInput(System.currentTimeMillis()).toRecord(topic, 0);
    }

    private void runOnce(KafkaOptions kafka, Path out) throws Exception {
        DisplayService display = new DisplayService(
                kafka,
                new DisplayService.Settings(
                        OutputSettings.Format.text, true, true, out.resolveSibling(out.getFileName() + ".offsets")));
        var executor = Executors.newSingleThreadExecutor();
        try {
            executor.submit(() -> display.run(length -> Output.file(out, length), new StopSignal()))
                    .get(60, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void writesEveryRecordOnceToTheFileAcrossRestartsAndSkipsGarbage() throws Exception {
        String prefix = SharedBroker.uniquePrefix("display");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 1);
        TopicAdmin.ensureTopics(kafka, List.of(Topics.STATS, Topics.ALERTS), new StopSignal());
        String statsTopic = Topics.STATS.name(prefix);
        String alertsTopic = Topics.ALERTS.name(prefix);
        var statsSerde = Topics.STATS.valueSerde().serializer();
        var alertSerde = Topics.ALERTS.valueSerde().serializer();
        long t = 1_525_881_610_000L;
        produce(
                prefix,
                List.of(
                        record(statsTopic, t, statsSerde.serialize(statsTopic, stats(0, 7))),
                        record(alertsTopic, t + 1000, alertSerde.serialize(alertsTopic, alert(0))),
                        record(statsTopic, t + 2000, "\u001b[31mnot json".getBytes(StandardCharsets.UTF_8)),
                        endMarker(statsTopic),
                        endMarker(alertsTopic)));
        Path out = dir.resolve("out.txt");
        runOnce(kafka, out);
        List<String> first = Files.readAllLines(out);
        assertEquals(2, first.size(), first::toString);
        assertTrue(first.get(0).contains("\"hits\":7"));
        assertEquals("High traffic generated an alert - hits = 5, triggered at 2018-05-09T16:00:11Z", first.get(1));

        // A second replay's output: the restart continues after the first run's records.
        produce(
                prefix,
                List.of(
                        record(statsTopic, t + 60_000, statsSerde.serialize(statsTopic, stats(1, 9))),
                        endMarker(statsTopic),
                        endMarker(alertsTopic)));
        runOnce(kafka, out);
        List<String> second = Files.readAllLines(out);
        assertEquals(3, second.size(), second::toString);
        assertTrue(second.get(2).contains("\"hits\":9"));

        // A crash after writing but before saving the position left a line the checkpoint does not cover.
        Files.writeString(out, "half-written line from a crash\n", java.nio.file.StandardOpenOption.APPEND);
        produce(prefix, List.of(endMarker(statsTopic), endMarker(alertsTopic)));
        runOnce(kafka, out);
        assertEquals(second, Files.readAllLines(out), "cut back to what the checkpoint covers, nothing repeated");
    }

    /**
     * The output file on a disk that is full: the display says so once, naming the file, keeps everything in
     * Kafka, and when space is freed writes every record exactly once, in order. A real full disk: a small tmpfs
     * (mounting one needs root; skipped otherwise).
     */
    @Test
    void aFullDiskIsReportedOnceAndLosesNothingWhenSpaceReturns() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        SmallDisk small = SmallDisk.mount(disk, "64k");
        assumeTrue(small != null, SmallDisk.NEEDS_ROOT);
        ListAppender<ILoggingEvent> logged = listen();
        try (small) {
            Path filler = disk.resolve("filler");
            try (FileChannel fill = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                while (true) {
                    fill.write(ByteBuffer.allocate(4096));
                }
            } catch (IOException full) {
                assertTrue(full.getMessage().contains("No space left"), full.getMessage());
            }

            String prefix = SharedBroker.uniquePrefix("display-full");
            KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 1);
            TopicAdmin.ensureTopics(kafka, List.of(Topics.STATS, Topics.ALERTS), new StopSignal());
            String statsTopic = Topics.STATS.name(prefix);
            var serde = Topics.STATS.valueSerde().serializer();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int minute = 0; minute < 60; minute++) {
                records.add(record(
                        statsTopic,
                        1_525_881_610_000L + minute * 60_000L,
                        serde.serialize(statsTopic, stats(minute, 1000 + minute))));
            }
            records.add(endMarker(statsTopic));
            records.add(endMarker(Topics.ALERTS.name(prefix)));
            produce(prefix, records);

            Path out = disk.resolve("out.txt");
            DisplayService display = new DisplayService(
                    kafka,
                    new DisplayService.Settings(OutputSettings.Format.text, true, true, dir.resolve("out.offsets")));
            var executor = Executors.newSingleThreadExecutor();
            try {
                var run = executor.submit(() -> display.run(length -> Output.file(out, length), new StopSignal()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (errors(logged).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                List<String> errors = errors(logged);
                assertEquals(1, errors.size(), errors::toString);
                assertTrue(
                        errors.get(0).contains(out.toString())
                                && errors.get(0).contains("No space left on device")
                                && errors.get(0).contains("nothing is lost"),
                        errors.get(0));
                Thread.sleep(6_000); // past the next retry: it is still full, and says nothing more at ERROR
                assertFalse(run.isDone(), "the display waits for space instead of giving up");
                assertEquals(1, errors(logged).size(), () -> errors(logged).toString());

                Files.delete(filler);
                run.get(60, TimeUnit.SECONDS);
            } finally {
                executor.shutdownNow();
            }
            List<String> lines = Files.readAllLines(out);
            assertEquals(60, lines.size(), lines::toString);
            for (int minute = 0; minute < 60; minute++) {
                assertTrue(lines.get(minute).contains("\"hits\":" + (1000 + minute)), lines.get(minute));
            }
        } finally {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DisplayService.class)).detachAppender(logged);
        }
    }

    private static ListAppender<ILoggingEvent> listen() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DisplayService.class)).addAppender(appender);
        return appender;
    }

    private static List<String> errors(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(e -> e.getLevel() == Level.ERROR)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }
}
