package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Json;
import io.httpmon.common.Topics;
import io.httpmon.generator.LogGenerator;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log rotated every 2.5 s while it is written at speed (about 4,800 lines/s, current time), the monitor
 * following it live: each stats window must hold exactly what was written in it. Rename + create, as logrotate
 * does it for nginx: the server writes the old file for another 300 ms before it reopens the new one, and the
 * reader finishes the old file (quiet for 2 s) before it moves on. Delete + re-create: the old file, still open,
 * is read to its end. Copytruncate: the lines not yet read when the file is cut are read from the copy.
 */
@ExtendWith(SharedBroker.class)
class RotationAtSpeedIT {

    private static final int LINES_PER_10MS = 50;
    private static final int INTERVAL = 5;
    private static final int WRITE_SECONDS = 20;

    @TempDir
    Path dir;

    enum Rotation {
        RENAME_AND_CREATE,
        DELETE_AND_RECREATE,
        COPYTRUNCATE
    }

    @Test
    void renameDeleteAndCopytruncateRotationsAtSpeedLoseAndRepeatNothing() throws Exception {
        Result r =
                run(List.of(Rotation.RENAME_AND_CREATE, Rotation.COPYTRUNCATE, Rotation.DELETE_AND_RECREATE), "rotate");
        long written = r.written().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                "RotationAtSpeedIT: %d rotations (rename, copytruncate, delete in turn), %,d lines in " + "%d s%n",
                r.rotations(), written, WRITE_SECONDS);
        assertEquals(r.written(), r.counted(), "every window holds exactly the lines written in it");
    }

    record Result(Map<Long, Long> written, Map<Long, Long> counted, int rotations) {}

    private Result run(List<Rotation> rotations, String name) throws Exception {
        Path log = Files.createFile(dir.resolve("access.log"));
        Path out = dir.resolve("out.txt");
        Path config = Files.writeString(dir.resolve("c.cfg"), "[Stats]\ninterval = " + INTERVAL + "\n");
        List<String> written = new ArrayList<>();
        int rotated = 0;
        String prefix = SharedBroker.uniquePrefix(name);
        try (ServiceProcess monitor = ServiceProcess.start(
                Path.of("target", "httpmon.jar"),
                name,
                List.of(
                        "-f",
                        log.toString(),
                        "-c",
                        config.toString(),
                        "--from-beginning",
                        "--bootstrap-servers",
                        SharedBroker.bootstrapServers(),
                        "--topic-prefix",
                        prefix,
                        "--partitions",
                        "3",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--output",
                        "file",
                        "--output-file",
                        out.toString()))) {
            LogGenerator generator = new LogGenerator(5, false);
            // The reader must have the file open before the first rotation (a file rotated away before the
            // monitor started is not followed): wait for its first published line.
            String first = generator.line(Instant.now().getEpochSecond());
            Files.writeString(log, first + "\n", StandardOpenOption.APPEND);
            written.add(first);
            awaitPublished(prefix, monitor);
            long end = System.nanoTime() + Duration.ofSeconds(WRITE_SECONDS).toNanos();
            long nextRotation = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            long reopenAt = 0;
            try {
                while (System.nanoTime() < end) {
                    long second = Instant.now().getEpochSecond();
                    for (int i = 0; i < LINES_PER_10MS; i++) {
                        String line = generator.line(second);
                        writer.write(line);
                        writer.write('\n');
                        written.add(line);
                    }
                    writer.flush();
                    if (reopenAt > 0 && System.nanoTime() >= reopenAt) {
                        writer.close();
                        writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                        reopenAt = 0;
                    }
                    if (System.nanoTime() >= nextRotation) {
                        Rotation how = rotations.get(rotated % rotations.size());
                        rotated++;
                        Path old = dir.resolve("access.log." + rotated);
                        switch (how) {
                            case RENAME_AND_CREATE -> {
                                // As logrotate with nginx: rename, create the new log, and the server goes on
                                // writing the old file until it reopens its log (USR1) 300 ms later.
                                Files.move(log, old, StandardCopyOption.ATOMIC_MOVE);
                                Files.createFile(log);
                                reopenAt = System.nanoTime()
                                        + Duration.ofMillis(300).toNanos();
                            }
                            case DELETE_AND_RECREATE -> {
                                writer.close();
                                Files.delete(log);
                                writer = Files.newBufferedWriter(
                                        log,
                                        StandardCharsets.UTF_8,
                                        StandardOpenOption.CREATE_NEW,
                                        StandardOpenOption.APPEND);
                            }
                            case COPYTRUNCATE -> {
                                // The writer keeps its descriptor (O_APPEND), as a web server does.
                                Files.copy(log, old);
                                try (FileChannel cut = FileChannel.open(log, StandardOpenOption.WRITE)) {
                                    cut.truncate(0);
                                }
                            }
                        }
                        nextRotation =
                                System.nanoTime() + Duration.ofMillis(2500).toNanos();
                    }
                    Thread.sleep(10);
                }
            } finally {
                writer.close();
            }
            long lastSecond = Instant.now().getEpochSecond();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!LiveWindows.windowsPast(out, lastSecond + INTERVAL) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(
                    LiveWindows.windowsPast(out, lastSecond + INTERVAL),
                    "windows after the traffic: " + monitor.output());
        }
        Map<Long, Long> expected = LiveWindows.perWindow(written, INTERVAL);
        Map<Long, Long> counted = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("{")) {
                JsonNode w = Json.MAPPER.readTree(line);
                long hits = w.get("hits").asLong();
                assertEquals(0, w.get("late").asLong(), line);
                if (hits > 0) {
                    counted.put(Instant.parse(w.get("window_start").asText()).getEpochSecond(), hits);
                }
            }
        }
        assertTrue(rotated >= 6, "rotations: " + rotated);
        return new Result(expected, counted, rotated);
    }

    private static void awaitPublished(String prefix, ServiceProcess monitor) throws Exception {
        String topic = Topics.RAW_LINES.name(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    var partitions = admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions();
                    Map<TopicPartition, OffsetSpec> latest =
                            new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
                    partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                    if (admin.listOffsets(latest).all().get().values().stream().anyMatch(o -> o.offset() > 0)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException notYet) {
                    // the topic is not there yet
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the monitor published nothing within 60 s: " + monitor.output());
    }
}
