package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.Topics;
import io.httpmon.common.model.StatsWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three web servers whose clocks are 30 s apart, each log followed live by its own reader (every service its own
 * process on the real broker), and the reader of one killed with SIGKILL mid-way and restarted while the others go
 * on: every request of every server is counted once, in its window, none late.
 */
@ExtendWith(SharedBroker.class)
class ServersFollowedLiveIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final int ROUNDS = 30;
    /** Each round, each server writes this many seconds of its traffic ... */
    private static final int SECONDS_PER_ROUND = 10;
    /** ... at this many requests a second. */
    private static final int PER_SECOND = 20;

    @TempDir
    Path dir;

    private ServiceProcess reader(String prefix, Path log, String id, String... more) throws IOException {
        List<String> args = Services.kafkaArgs(prefix, 3, "-f", log.toString(), "--source-id", id);
        args.addAll(List.of(more));
        return ServiceProcess.start(Services.jar("reader-service"), "reader-" + id, args);
    }

    /** Appends the traffic of seconds [from, to) of a server whose clock is {@code skew} off. */
    private static void append(Path log, int from, int to, long skew, int server, Map<Long, Long> truth)
            throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int s = from; s < to; s++) {
                Instant at = T0.plusSeconds(s).plusMillis(skew);
                for (int i = 0; i < PER_SECOND; i++) {
                    out.write("10.0." + server + "." + i + " - - [" + CLF.format(at) + "] \"GET /s" + (i % 4)
                            + "/p HTTP/1.1\" 200 100\n");
                }
                truth.merge(Math.floorDiv(at.toEpochMilli(), 10_000) * 10_000, (long) PER_SECOND, Long::sum);
            }
        }
    }

    @Test
    void threeServersThirtySecondsApartOneReaderKilledEveryRequestCountedOnce() throws Exception {
        String prefix = SharedBroker.uniquePrefix("servers-live");
        long[] skews = {0, -30_000, 30_000};
        List<Path> logs = new ArrayList<>();
        Map<Long, Long> truth = new TreeMap<>();
        for (int k = 0; k < 3; k++) {
            logs.add(dir.resolve("web" + k + ".access.log"));
            append(logs.get(k), 0, SECONDS_PER_ROUND, skews[k], k, truth);
        }
        List<ServiceProcess> processes = new ArrayList<>();
        processes.add(Services.stats(prefix, 3, dir.resolve("stats")));
        processes.add(ServiceProcess.start(Services.jar("parser-service"), "parser", Services.kafkaArgs(prefix, 3)));
        ServiceProcess[] readers = new ServiceProcess[3];
        try (TopicReader stats = new TopicReader(SharedBroker.bootstrapServers(), Topics.STATS.name(prefix))) {
            for (int k = 0; k < 3; k++) {
                readers[k] = reader(prefix, logs.get(k), "web" + k, "--from-beginning");
                processes.add(readers[k]);
            }
            try (TopicReader raw = new TopicReader(SharedBroker.bootstrapServers(), Topics.RAW_LINES.name(prefix))) {
                // every reader has started (said hello and published) before the rounds begin
                raw.readUntil(
                        records -> records.stream()
                                        .filter(r -> !Control.isControl(r.headers()))
                                        .map(r -> ChunkHeaders.source(r.headers()))
                                        .distinct()
                                        .count()
                                == 3,
                        WAIT);
            }
            for (int round = 1; round < ROUNDS; round++) {
                if (round == 10) {
                    readers[1].kill(); // SIGKILL: whatever it had not committed is published again, once
                }
                if (round == 20) {
                    readers[1] = reader(prefix, logs.get(1), "web1", "--from-beginning");
                    processes.add(readers[1]);
                }
                for (int k = 0; k < 3; k++) {
                    append(logs.get(k), round * SECONDS_PER_ROUND, (round + 1) * SECONDS_PER_ROUND, skews[k], k, truth);
                }
                Thread.sleep(300);
            }
            stats.readUntil(r -> r.size() > 20, WAIT); // the windows of the first rounds are out
            for (int k = 0; k < 3; k++) {
                readers[k].stop();
                // each reader's input ends: it resumes at its saved position and marks the end
                processes.add(reader(prefix, logs.get(k), "web" + k, "--once"));
            }
            List<ConsumerRecord<byte[], byte[]>> all =
                    stats.readUntil(records -> records.stream().anyMatch(r -> Control.isControl(r.headers())), WAIT);
            assertTrue(all.stream().anyMatch(r -> Control.isControl(r.headers())), "the statistics ended");

            var serde = Topics.STATS.valueSerde().deserializer();
            Map<Long, Long> last = new TreeMap<>();
            long late = 0;
            for (ConsumerRecord<byte[], byte[]> r : all) {
                if (r.value() == null) {
                    continue;
                }
                StatsWindow w = serde.deserialize("t", r.value());
                late += w.late();
                if (w.hits() > 0 || w.revision() > 0) {
                    last.put(Instant.parse(w.windowStart()).toEpochMilli(), w.hits());
                }
            }
            String seeAlso = truth.equals(last) && late == 0 ? "" : "; see " + diagnostics(prefix, all);
            assertEquals(0, late, "no server's request came too late" + seeAlso);
            assertEquals(truth, last, "the final record of every window counts every server's requests once" + seeAlso);
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }

    /**
     * On a failure (seen once in CI, not reproduced since): what the run's stages made of it, in a file under
     * target/, to tell a request published twice (the requests topic's count per window) from one counted twice (the
     * stats records); each service's own output is in target/service-logs.
     */
    private static Path diagnostics(String prefix, List<ConsumerRecord<byte[], byte[]>> stats) throws IOException {
        StringBuilder out = new StringBuilder();
        var statsSerde = Topics.STATS.valueSerde().deserializer();
        for (ConsumerRecord<byte[], byte[]> r : stats) {
            if (r.value() != null) {
                StatsWindow w = statsSerde.deserialize("t", r.value());
                out.append("stats ")
                        .append(w.windowStart())
                        .append(" hits ")
                        .append(w.hits())
                        .append(" revision ")
                        .append(w.revision())
                        .append(" late ")
                        .append(w.late())
                        .append('\n');
            }
        }
        Map<Long, Long> requestsPerWindow = new TreeMap<>();
        try (TopicReader requests = new TopicReader(SharedBroker.bootstrapServers(), Topics.REQUESTS.name(prefix))) {
            var serde = Topics.REQUESTS.valueSerde().deserializer();
            for (ConsumerRecord<byte[], byte[]> r : requests.readFor(Duration.ofSeconds(3))) {
                if (r.value() != null) {
                    for (var request : serde.deserialize("t", r.value()).requests()) {
                        requestsPerWindow.merge(Math.floorDiv(request.timestamp(), 10_000) * 10_000, 1L, Long::sum);
                    }
                }
            }
        }
        out.append("requests per window on the requests topic: ")
                .append(requestsPerWindow)
                .append('\n');
        Path file = Path.of("target", "ServersFollowedLiveIT-" + System.currentTimeMillis() + ".txt")
                .toAbsolutePath();
        Files.writeString(file, out);
        return file;
    }
}
