package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.SmallDisk;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.ParseError;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The reader (as its own process) feeding the parser through the real broker. */
@ExtendWith(SharedBroker.class)
class ParserServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path READER_JAR = Path.of("..", "reader-service", "target", "reader-service.jar");
    private static final Path PARSER_JAR = Path.of("target", "parser-service.jar");

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    private static String valid(int i) {
        return String.format(
                "10.0.%d.%d - user%d [09/May/2018:16:%02d:%02d +0000] \"GET /section%d/item/%d HTTP/1.1\" "
                        + "200 %d \"-\" \"agent\"",
                i / 250 % 250, i % 250, i % 7, i / 60 % 60, i % 60, i % 5, i, i % 1000);
    }

    /** Writes n lines; every tenth is malformed. Returns how many are malformed. */
    private static int writeLog(Path file, int n) throws IOException {
        int malformed = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < n; i++) {
                String line = i % 10 == 9 ? "malformed line " + i : valid(i);
                malformed += i % 10 == 9 ? 1 : 0;
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        return malformed;
    }

    private ServiceProcess readOnce(Path file, String prefix) throws IOException {
        return ServiceProcess.start(
                READER_JAR,
                "reader",
                List.of(
                        "-f",
                        file.toString(),
                        "--once",
                        "--bootstrap-servers",
                        SharedBroker.bootstrapServers(),
                        "--topic-prefix",
                        prefix,
                        "--partitions",
                        "3"));
    }

    private static boolean isControl(ConsumerRecord<byte[], byte[]> r) {
        return Control.isControl(r.headers());
    }

    private static boolean isEnd(ConsumerRecord<byte[], byte[]> r) {
        Control control = Control.read(r.headers(), r.timestamp());
        return control != null && control.kind() == Control.Kind.END_OF_INPUT;
    }

    /** The requests of the batches among {@code records}, in order. */
    private static List<HttpRequest> requestsIn(List<ConsumerRecord<byte[], byte[]>> records) {
        var serde = Topics.REQUESTS.valueSerde().deserializer();
        return records.stream()
                .filter(r -> !isControl(r))
                .flatMap(r -> serde.deserialize("t", r.value()).requests().stream())
                .toList();
    }

    private static java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> requestsAtLeast(long n) {
        return records -> requestsIn(records).size() >= n;
    }

    @Test
    void everyLineBecomesExactlyOneRequestOrDeadLetter() throws Exception {
        String prefix = SharedBroker.uniquePrefix("parser-pipeline");
        Path log = dir.resolve("access.log");
        int n = 20_000;
        int malformed = writeLog(log, n);
        // Lines no parser could read: empty, invalid UTF-8 with NUL and ESC, and one of 1 MiB (cut by the reader).
        try (OutputStream out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.APPEND)) {
            out.write('\n');
            out.write(new byte[] {(byte) 0xFF, 0, 0x1B, '[', '2', 'J', '\n'});
            out.write(("x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        int lines = n + 3;
        try (ServiceProcess reader = readOnce(log, prefix)) {
            assertEquals(0, reader.waitFor(120), "reader --once exits 0");
        }

        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 3);
        StopSignal stop = new StopSignal();
        ParserService parser = new ParserService(kafka, "pipeline-1");
        Future<?> running = executor.submit(() -> parser.run(stop));
        try (TopicReader requests = new TopicReader(SharedBroker.bootstrapServers(), Topics.REQUESTS.name(prefix));
                TopicReader errors =
                        new TopicReader(SharedBroker.bootstrapServers(), Topics.PARSE_ERRORS.name(prefix))) {
            List<ConsumerRecord<byte[], byte[]>> requestRecords = requests.readUntil(
                    records -> requestsIn(records).size() >= n - malformed
                            && records.stream().filter(ParserServiceIT::isEnd).count() >= 9,
                    WAIT);
            List<ConsumerRecord<byte[], byte[]>> errorRecords =
                    errors.readUntil(TopicReader.atLeast(malformed + 3), WAIT);
            stop.stop();
            running.get(60, TimeUnit.SECONDS);
            requestRecords = requests.readFor(Duration.ofSeconds(1));
            errorRecords = errors.readFor(Duration.ofSeconds(1));

            List<HttpRequest> data = requestsIn(requestRecords);
            assertEquals(n - malformed, data.size());
            assertEquals(malformed + 3, errorRecords.size());
            assertEquals(lines, data.size() + errorRecords.size(), "requests + dead letters = lines read");
            assertEquals(
                    n - malformed,
                    data.stream().map(HttpRequest::resource).distinct().count(),
                    "no request twice");

            // Requests come in batches (a chunk of lines each), stamped with their newest request's time.
            var serde = Topics.REQUESTS.valueSerde();
            List<ConsumerRecord<byte[], byte[]>> batches =
                    requestRecords.stream().filter(r -> !isControl(r)).toList();
            assertTrue(batches.size() < data.size() / 50, batches.size() + " batches for " + data.size() + " requests");
            long counted = 0;
            for (ConsumerRecord<byte[], byte[]> batch : batches) {
                var value = serde.deserializer().deserialize("t", batch.value());
                counted += value.deadLetters();
                if (value.requests().isEmpty()) {
                    // a chunk of nothing but dead letters: published for the statistics to count them
                    assertTrue(value.deadLetters() > 0, "an empty batch says why it is there");
                    continue;
                }
                assertEquals(
                        value.requests().stream()
                                .mapToLong(HttpRequest::timestamp)
                                .max()
                                .orElseThrow(),
                        batch.timestamp());
            }
            assertEquals(malformed + 3, counted, "every dead letter is counted in a batch for the statistics");

            // The end-of-input marker of each of the 3 raw-lines partitions reaches each of the 3 requests partitions.
            Map<Integer, Integer> markers = new HashMap<>();
            requestRecords.stream()
                    .filter(ParserServiceIT::isEnd)
                    .forEach(r -> markers.merge(r.partition(), 1, Integer::sum));
            assertEquals(Map.of(0, 3, 1, 3, 2, 3), markers);
            // ... and so does the reader's hello, with the reader's source id, before its first batch there
            for (int p = 0; p < 3; p++) {
                int partition = p;
                ConsumerRecord<byte[], byte[]> first = requestRecords.stream()
                        .filter(r -> r.partition() == partition)
                        .findFirst()
                        .orElseThrow();
                Control hello = Control.read(first.headers(), first.timestamp());
                assertEquals(Control.Kind.HELLO, hello == null ? null : hello.kind(), "partition " + p);
                assertEquals(log.toAbsolutePath().normalize().toString(), hello.source());
            }
            assertTrue(
                    batches.stream()
                            .allMatch(b -> log.toAbsolutePath()
                                    .normalize()
                                    .toString()
                                    .equals(io.httpmon.common.ChunkHeaders.source(b.headers()))),
                    "every batch names its source");

            List<String> reasons = new ArrayList<>();
            List<Long> malformedLines = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : errorRecords) {
                ParseError e = Topics.PARSE_ERRORS.valueSerde().deserializer().deserialize("t", r.value());
                reasons.add(e.reason());
                assertEquals(log.toString(), e.file());
                if (e.line().startsWith("malformed line ")) {
                    // The dead letter names its line: "malformed line i" is line i + 1 of the file.
                    assertEquals(Long.parseLong(e.line().substring("malformed line ".length())) + 1, e.lineNumber());
                    malformedLines.add(e.lineNumber());
                }
            }
            assertEquals(malformed, malformedLines.size());
            assertTrue(reasons.contains("empty line"), reasons::toString);
            assertTrue(
                    reasons.stream().anyMatch(r -> r.startsWith("line too long: 1048576 bytes")),
                    () -> "reasons: " + reasons.stream().distinct().toList());
        }
    }

    @Test
    void threeParserProcessesShareTheWorkAndOneKilledMidStreamLosesNothing() throws Exception {
        String prefix = SharedBroker.uniquePrefix("parser-scale");
        Path log = dir.resolve("access.log");
        int n = 300_000;
        int malformed = writeLog(log, n);
        try (ServiceProcess reader = readOnce(log, prefix)) {
            assertEquals(0, reader.waitFor(180), "reader --once exits 0");
        }
        List<ServiceProcess> parsers = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                parsers.add(ServiceProcess.start(
                        PARSER_JAR,
                        "parser-" + i,
                        List.of(
                                "--instance-id",
                                "p" + i,
                                "--bootstrap-servers",
                                SharedBroker.bootstrapServers(),
                                "--topic-prefix",
                                prefix)));
            }
            try (TopicReader requests =
                    new TopicReader(SharedBroker.bootstrapServers(), Topics.REQUESTS.name(prefix))) {
                int expected = n - malformed;
                List<ConsumerRecord<byte[], byte[]>> before = requests.readUntil(requestsAtLeast(20_000), WAIT);
                parsers.get(1).kill();
                assertTrue(requestsIn(before).size() < expected, "the kill must come mid-stream");

                List<ConsumerRecord<byte[], byte[]>> all = requests.readUntil(requestsAtLeast(expected), WAIT);
                all = requests.readFor(Duration.ofSeconds(2));
                Map<String, Integer> byResource = new HashMap<>();
                for (HttpRequest r : requestsIn(all)) {
                    byResource.merge(r.resource(), 1, Integer::sum);
                }
                assertEquals(expected, byResource.size(), "every valid line became a request");
                assertEquals(
                        List.of(),
                        byResource.entrySet().stream()
                                .filter(e -> e.getValue() > 1)
                                .limit(5)
                                .toList(),
                        "no request was published twice");
                String survivorLog = parsers.get(0).output() + parsers.get(2).output();
                assertTrue(parsers.get(0).isAlive() && parsers.get(2).isAlive(), survivorLog);
            }
            try (TopicReader errors =
                    new TopicReader(SharedBroker.bootstrapServers(), Topics.PARSE_ERRORS.name(prefix))) {
                assertEquals(
                        malformed,
                        errors.readUntil(TopicReader.atLeast(malformed), WAIT).size());
                assertEquals(malformed, errors.readFor(Duration.ofSeconds(1)).size());
            }
            assertEquals(0, parsers.get(0).stop(), "SIGTERM is a clean stop");
        } finally {
            for (ServiceProcess p : parsers) {
                p.close();
            }
        }
    }

    /**
     * The log on a disk that fills up (a real 64 KiB tmpfs; mounting needs root, skipped otherwise): the web server's
     * last write is cut short, then space returns and it goes on. Every line that made it into the file is one
     * request or one dead letter (the cut line, glued to the next one, is whatever the parser makes of it), and
     * every line written whole is a request.
     */
    @Test
    void aLogOnADiskThatFillsUpLosesNoLineThatReachedTheFile() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        SmallDisk small = SmallDisk.mount(disk, "64k");
        org.junit.jupiter.api.Assumptions.assumeTrue(small != null, SmallDisk.NEEDS_ROOT);
        String prefix = SharedBroker.uniquePrefix("parser-full-disk");
        Path log = disk.resolve("access.log");
        List<ServiceProcess> services = new ArrayList<>();
        List<Integer> whole = new ArrayList<>();
        try (java.nio.channels.FileChannel writer = java.nio.channels.FileChannel.open(
                log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            List<String> kafka = List.of(
                    "--bootstrap-servers",
                    SharedBroker.bootstrapServers(),
                    "--topic-prefix",
                    prefix,
                    "--partitions",
                    "3");
            List<String> readerArgs = new ArrayList<>(List.of("-f", log.toString(), "--from-beginning"));
            readerArgs.addAll(kafka);
            services.add(ServiceProcess.start(READER_JAR, "reader-full-disk", readerArgs));
            services.add(ServiceProcess.start(PARSER_JAR, "parser-full-disk", kafka));
            int i = 0;
            long sizeBefore;
            boolean full = false;
            do {
                sizeBefore = writer.size();
                full = !writeLine(writer, i);
                if (!full) {
                    whole.add(i);
                }
                i++;
            } while (!full);
            // A cut line is glued to the next one written: that one is not whole in the file either.
            boolean cut = writer.size() > sizeBefore;
            Thread.sleep(2_000); // the services go on following a log that cannot grow
            assertTrue(small.resize("1m"), "space returns");
            for (int k = 0; k < 500; k++, i++) {
                assertTrue(writeLine(writer, i), "written after space returned");
                if (k > 0 || !cut) {
                    whole.add(i);
                }
            }
            byte[] content = Files.readAllBytes(log);
            int linesInFile = 0;
            for (byte b : content) {
                linesInFile += b == '\n' ? 1 : 0;
            }
            int expectedLines = linesInFile;
            try (TopicReader requests = new TopicReader(SharedBroker.bootstrapServers(), Topics.REQUESTS.name(prefix));
                    TopicReader errors =
                            new TopicReader(SharedBroker.bootstrapServers(), Topics.PARSE_ERRORS.name(prefix))) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                List<ConsumerRecord<byte[], byte[]>> requestRecords = List.of();
                List<ConsumerRecord<byte[], byte[]>> errorRecords = List.of();
                while (System.nanoTime() < deadline
                        && requestsIn(requestRecords).size() + errorRecords.size() < expectedLines) {
                    requestRecords = requests.readFor(Duration.ofMillis(300));
                    errorRecords = errors.readFor(Duration.ofMillis(300));
                }
                requestRecords = requests.readFor(Duration.ofSeconds(2));
                errorRecords = errors.readFor(Duration.ofSeconds(1));
                assertEquals(
                        expectedLines,
                        requestsIn(requestRecords).size() + errorRecords.size(),
                        "every line in the file is one request or one dead letter");
                java.util.Set<String> resources = new java.util.HashSet<>();
                requestsIn(requestRecords).forEach(r -> resources.add(r.resource()));
                List<Integer> missing = whole.stream()
                        .filter(n -> !resources.contains("/section" + (n % 5) + "/item/" + n))
                        .toList();
                assertEquals(List.of(), missing, "every line written whole is a request");
                System.out.printf(
                        "ParserServiceIT: disk full after %,d lines (last one cut: %s), 500 more after "
                                + "space returned; %,d lines in the file, %,d requests, %,d dead letters%n",
                        whole.size() - (cut ? 499 : 500),
                        cut,
                        expectedLines,
                        requestsIn(requestRecords).size(),
                        errorRecords.size());
            }
        } finally {
            for (ServiceProcess p : services) {
                p.close();
            }
            small.close();
        }
    }

    /** One line with a single write, as a web server does; false when the disk is full (the line may be cut). */
    private static boolean writeLine(java.nio.channels.FileChannel writer, int i) {
        java.nio.ByteBuffer line = java.nio.ByteBuffer.wrap((valid(i) + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            writer.write(line);
            return !line.hasRemaining();
        } catch (IOException full) {
            return false;
        }
    }
}
