package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.BrokerCluster;
import io.httpmon.broker.ExpectedOutput;
import io.httpmon.broker.KafkaBroker;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.broker.TopicReader;
import io.httpmon.common.Control;
import io.httpmon.common.Json;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise under faults: a replay of a generated log with known per-second counts, every service its own
 * process (reader, 3 parsers, stats, alert, display writing a file), and then a fault: each service killed with
 * SIGKILL at a random moment of its own progress and restarted, or the broker stopped for 12 s. At the end the
 * stats windows hold exactly the lines written, window by window, nothing late; every alert transition is on
 * {@code alerts} once; the display's file holds every window and every transition once, in order: exactly what
 * the counts imply, which is what a clean run gives ({@code PipelineIT}).
 *
 * <p>Size: {@code -Dhttpmon.faults.lines} (CI: 200,000; {@code mvn verify -Pfaults}: 1,000,000). The seed of the
 * random moments is printed, and {@code -Dhttpmon.faults.seed} repeats a run.
 */
@Tag("long") // about 4 minutes on 2 cores: run by the long profile (.ci/run, after mvn verify) and -Pfaults
@ExtendWith(SharedBroker.class)
class FaultSuiteIT {

    private static final int LINES = Integer.getInteger("httpmon.faults.lines", 200_000);
    private static final long SEED = Long.getLong("httpmon.faults.seed", System.nanoTime());
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final int CYCLES = 6;
    private static final int INTERVAL = 10;
    private static final int RULE_WINDOW = 20;

    @TempDir
    Path dir;

    /** Six cycles of 100 s: 50 s at the base rate, a 30 s burst at three times it, 20 s at the base rate. */
    private static int[] perSecond() {
        int base = (int) Math.ceil(LINES / (CYCLES * 160.0));
        int[] counts = new int[CYCLES * 100];
        for (int s = 0; s < counts.length; s++) {
            int inCycle = s % 100;
            counts[s] = (inCycle >= 50 && inCycle < 80 ? 3 * base : base) + s % 3;
        }
        return counts;
    }

    private static int threshold(int[] counts) {
        return 2 * counts[0];
    }

    private static void write(Path file, int[] counts) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int s = 0; s < counts.length; s++) {
                String time = CLF.format(T0.plusSeconds(s));
                for (int i = 0; i < counts[s]; i++) {
                    out.write("10.1." + (i % 200) + "." + (s % 250) + " - user" + (i % 13) + " [" + time
                            + "] \"GET /section" + (i % 9) + "/item/" + s + "-" + i + " HTTP/1.1\" "
                            + (i % 17 == 0 ? 503 : 200) + " " + (200 + i % 1000) + "\n");
                }
            }
        }
    }

    /** Distinct hosts per window: second s has hosts 10.1.(0..199).(s % 250), as many as its lines up to 200. */
    private static List<Long> expectedHosts(int[] counts) {
        List<Long> hosts = new ArrayList<>();
        for (int w = 0; w < counts.length; w += INTERVAL) {
            long sum = 0;
            for (int s = w; s < w + INTERVAL; s++) {
                sum += Math.min(counts[s], 200);
            }
            hosts.add(sum);
        }
        return hosts;
    }

    /** The generated log and what it implies. */
    private record Replay(
            Path log, int threshold, long lines, List<Long> windows, List<Long> hosts, List<String> transitions) {}

    private Replay replay() throws IOException {
        int[] counts = perSecond();
        Path log = dir.resolve("access.log");
        write(log, counts);
        AlertRule rule = new AlertRule("alert_1", threshold(counts), RULE_WINDOW);
        return new Replay(
                log,
                threshold(counts),
                java.util.Arrays.stream(counts).asLongStream().sum(),
                ExpectedOutput.windowHits(counts, INTERVAL),
                expectedHosts(counts),
                ExpectedOutput.transitions(counts, T0, rule));
    }

    /** The services of one pipeline, each its own JVM, restartable by name. */
    private final class Pipeline implements AutoCloseable {
        final String bootstrap;
        final String prefix;
        final Path log;
        final Path out;
        final int threshold;
        final Map<String, ServiceProcess> running = new LinkedHashMap<>();
        final List<ServiceProcess> all = new ArrayList<>();
        final List<String> kafkaArgs;

        Pipeline(String bootstrap, String prefix, Path log, int threshold) {
            this(bootstrap, prefix, log, threshold, List.of());
        }

        /** {@code kafkaArgs}: more Kafka options every service gets (--replication-factor 3 on a cluster). */
        Pipeline(String bootstrap, String prefix, Path log, int threshold, List<String> kafkaArgs) {
            this.kafkaArgs = kafkaArgs;
            this.bootstrap = bootstrap;
            this.prefix = prefix;
            this.log = log;
            this.out = dir.resolve("display.txt");
            this.threshold = threshold;
        }

        private Path parserClientConfig() {
            Path file = dir.resolve("parser-client.properties");
            try {
                if (!Files.exists(file)) {
                    Files.writeString(file, "max.poll.records=8\n");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return file;
        }

        List<String> args(String service) {
            List<String> args = new ArrayList<>(
                    List.of("--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "3"));
            args.addAll(kafkaArgs);
            switch (service) {
                case "reader" -> args.addAll(List.of("-f", log.toString(), "--once"));
                case "parser-1", "parser-2", "parser-3" -> {
                    args.addAll(List.of("--instance-id", service));
                    // A parser's transaction holds up to max.poll.records chunks (64: a quarter of this input at
                    // once, committed in a few ms by two parse threads): with 8 its progress moves in small steps,
                    // so a kill moment drawn in [0.2, 0.8) falls mid-stream, not past the end between two looks.
                    args.addAll(List.of("--kafka-config", parserClientConfig().toString()));
                }
                case "stats" ->
                    args.addAll(List.of(
                            "--interval",
                            String.valueOf(INTERVAL),
                            "--state-dir",
                            dir.resolve("stats-state").toString()));
                case "alert" ->
                    args.addAll(List.of(
                            "--rule",
                            "alert_1=" + threshold + "," + RULE_WINDOW,
                            "--state-dir",
                            dir.resolve("alert-state").toString()));
                case "display" ->
                    args.addAll(List.of(
                            "--from-beginning",
                            "--output",
                            "file",
                            "--file",
                            out.toString(),
                            "--state-file",
                            dir.resolve("display.offsets").toString()));
                default -> throw new IllegalArgumentException(service);
            }
            return args;
        }

        void start(String service) throws IOException {
            String module = service.startsWith("parser") ? "parser-service" : service + "-service";
            ServiceProcess p = ServiceProcess.start(
                    Path.of("..", module, "target", module + ".jar"), "faults-" + service, args(service));
            running.put(service, p);
            all.add(p);
        }

        void startAll() throws IOException {
            for (String s : List.of("display", "alert", "stats", "parser-1", "parser-2", "parser-3", "reader")) {
                start(s);
            }
        }

        void killAndRestart(String service) throws Exception {
            running.get(service).kill();
            start(service);
        }

        String outputs() throws IOException {
            StringBuilder b = new StringBuilder();
            for (ServiceProcess p : all) {
                b.append("\n--- ").append(p.output().lines().limit(60).collect(Collectors.joining("\n")));
            }
            return b.toString();
        }

        @Override
        public void close() throws Exception {
            for (ServiceProcess p : all) {
                p.close();
            }
        }
    }

    /** How far a stage is: records on its output topic (transaction markers included, so roughly). */
    private static long endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(o -> o.offset())
                .sum();
    }

    private static Predicate<List<ConsumerRecord<byte[], byte[]>>> endMarker() {
        return records -> records.stream().anyMatch(r -> Control.isControl(r.headers()));
    }

    /**
     * Whether a service has reached its kill moment. The display's output comes in bursts: after the stats stage
     * was restarted with a backlog it can go from below its share to its end between two looks (seen once in CI),
     * and then no moment is left to kill it mid-stream. So its moment is also reached when the stats stage, which
     * feeds it, has consumed that share of the requests; either way only while its own output has begun and is not
     * complete.
     */
    private static boolean due(String service, double share, Map<String, Double> progress) {
        double own = progress.get(service);
        if (!service.equals("display")) {
            return own >= share;
        }
        return own > 0 && own < 1.0 && (own >= share || progress.get("stats") >= share);
    }

    @Test
    void eachServiceKilledAtARandomMomentAndRestartedLosesAndRepeatsNothing() throws Exception {
        System.out.printf("FaultSuiteIT: %,d lines, seed %d%n", LINES, SEED);
        Random random = new Random(SEED);
        Replay replay = replay();

        String prefix = SharedBroker.uniquePrefix("faults");
        // Each service dies when its own progress has reached a random share of what it will do (the display: due()).
        Map<String, Double> killAt = new LinkedHashMap<>();
        for (String s : List.of("reader", "parser-2", "stats", "alert", "display")) {
            killAt.put(s, 0.2 + 0.6 * random.nextDouble());
        }
        Map<String, Double> killedAt = new LinkedHashMap<>();
        try (Pipeline pipeline =
                        new Pipeline(SharedBroker.bootstrapServers(), prefix, replay.log(), replay.threshold());
                Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
            pipeline.startAll();
            // Progress by what each stage has done, measured often enough that no stage jumps from below its kill
            // moment to the end between two looks: the stats and alert stages by the requests they have committed
            // as consumed (their output comes in bursts when an upstream stage was down), the others by output.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (killedAt.size() < killAt.size() && System.nanoTime() < deadline) {
                Map<String, Double> progress = new LinkedHashMap<>();
                long chunks = expectedChunks(replay);
                progress.put("reader", ratio(admin, Topics.RAW_LINES.name(prefix), chunks));
                progress.put("parser-2", ratio(admin, Topics.REQUESTS.name(prefix), chunks));
                progress.put(
                        "stats", consumed(admin, prefix + "stats", Topics.REQUESTS.name(prefix)) / (double) chunks);
                progress.put(
                        "alert", consumed(admin, prefix + "alert", Topics.REQUESTS.name(prefix)) / (double) chunks);
                progress.put(
                        "display",
                        lines(pipeline.out).size()
                                / (double) (replay.windows().size()
                                        + replay.transitions().size()));
                for (var kill : killAt.entrySet()) {
                    if (!killedAt.containsKey(kill.getKey()) && due(kill.getKey(), kill.getValue(), progress)) {
                        pipeline.killAndRestart(kill.getKey());
                        killedAt.put(kill.getKey(), progress.get(kill.getKey()));
                    }
                }
                Thread.sleep(20);
            }
            System.out.println("FaultSuiteIT: killed at (share of each stage's progress) " + killedAt);
            assertEquals(killAt.keySet(), killedAt.keySet(), "every service was killed: " + pipeline.outputs());
            killedAt.forEach((service, at) -> assertTrue(at < 1.0, service + " was killed mid-stream: " + at));
            assertExact(pipeline, replay);
        }
    }

    @Test
    void theBrokerStoppedForTwelveSecondsMidReplayLosesAndRepeatsNothing() throws Exception {
        Replay replay = replay();
        double stopAt = 0.2 + 0.5 * new Random(SEED).nextDouble();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path brokerDir = dir.resolve("broker");
        KafkaBroker broker = KafkaBroker.start(brokerDir, "127.0.0.1", port, Duration.ofSeconds(60));
        try (Pipeline pipeline =
                new Pipeline(broker.bootstrapServers(), "httpmon.", replay.log(), replay.threshold())) {
            pipeline.startAll();
            double progress = 0;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (progress < stopAt && System.nanoTime() < deadline) {
                    progress = ratio(admin, Topics.REQUESTS.name("httpmon."), expectedChunks(replay));
                    Thread.sleep(100);
                }
            }
            System.out.printf("FaultSuiteIT: broker stopped for 12 s at %.2f of the requests%n", progress);
            assertTrue(progress >= stopAt && progress < 1.0, "stopped mid-stream: " + progress);
            // The services that had reached Kafka and still had work: a service still starting (on a busy host a JVM
            // can take seconds to get there) has no connection to lose, and says it waits only if its first try
            // lasts long; the reader that has published the whole file (--once) is on its way out.
            List<ServiceProcess> runningThen = new java.util.ArrayList<>();
            for (ServiceProcess p : pipeline.running.values()) {
                String said = p.output();
                if (p.isAlive() && said.contains("is reachable") && !said.contains("and the end-of-input marker")) {
                    runningThen.add(p);
                }
            }
            System.out.printf(
                    "FaultSuiteIT: %d of %d services had reached Kafka%n", runningThen.size(), pipeline.running.size());
            assertTrue(runningThen.size() >= 3, "most services had reached Kafka: " + pipeline.outputs());
            broker.close();
            Thread.sleep(12_000);
            // No broker answered from the close to here: a reader whose log says it published its whole file before
            // this had it acknowledged before the close (its log line may come a moment after the last ack).
            java.time.LocalTime restartedAt = java.time.LocalTime.now();
            broker = KafkaBroker.start(brokerDir, "127.0.0.1", port, Duration.ofSeconds(60));
            assertExact(pipeline, replay);
            for (ServiceProcess p : runningThen) {
                // The reader may finish its file between the look above and the stop: then it had nothing to wait for.
                if (!publishedAllBy(p.output(), restartedAt)) {
                    assertTrue(p.output().contains("lost the connection to Kafka"), "said it waits: " + p.output());
                }
            }
        } finally {
            broker.close();
        }
    }

    /** Whether a reader's log says it published its whole file (--once) at or before {@code time} (its clock). */
    private static boolean publishedAllBy(String output, java.time.LocalTime time) {
        return output.lines()
                .filter(line -> line.contains("and the end-of-input marker") && line.length() >= 12)
                .anyMatch(line -> {
                    try {
                        return !java.time.LocalTime.parse(line.substring(0, 12)).isAfter(time);
                    } catch (java.time.format.DateTimeParseException e) {
                        return false;
                    }
                });
    }

    /**
     * On a real 3-node cluster (every node its own JVM) with replication factor 3: the node coordinating
     * alert-service's transactions (it leads partitions too) is killed with SIGKILL mid-replay and started again 10 s
     * later. Every topic httpmon and Kafka
     * Streams created has 3 replicas and needs 2 in sync, and the output is exact as ever.
     */
    @Test
    @Tag("long") // three broker JVMs: about 2 minutes, run by the long profile (.ci/run)
    void aBrokerOfAThreeNodeClusterKilledMidReplayLosesAndRepeatsNothing() throws Exception {
        Replay replay = replay();
        double killAt = 0.2 + 0.5 * new Random(SEED).nextDouble();
        try (BrokerCluster cluster = BrokerCluster.start(dir.resolve("cluster"), 3, Duration.ofSeconds(120));
                Pipeline pipeline = new Pipeline(
                        cluster.bootstrapServers(),
                        "httpmon.",
                        replay.log(),
                        replay.threshold(),
                        List.of("--replication-factor", "3"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            pipeline.startAll();
            String requests = Topics.REQUESTS.name("httpmon.");
            double progress = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (progress < killAt && System.nanoTime() < deadline) {
                progress = ratio(admin, requests, expectedChunks(replay));
                Thread.sleep(100);
            }
            assertTrue(progress >= killAt && progress < 1.0, "killed mid-stream: " + progress);
            // The hardest node to lose: the transaction coordinator of alert-service's commits (a commit under way
            // then meets the coordinator moving), else the leader of requests-0.
            List<String> alertTransactions = admin.listTransactions().all().get().stream()
                    .map(t -> t.transactionalId())
                    .filter(id -> id.startsWith("httpmon.alert"))
                    .toList();
            int victim = alertTransactions.isEmpty()
                    ? -1
                    : admin.describeTransactions(alertTransactions)
                            .all()
                            .get()
                            .values()
                            .iterator()
                            .next()
                            .coordinatorId();
            String why = "coordinator of alert-service's transactions";
            if (victim < 1) {
                victim = cluster.nodeOfPort(admin.describeTopics(List.of(requests))
                        .allTopicNames()
                        .get()
                        .get(requests)
                        .partitions()
                        .get(0)
                        .leader()
                        .port());
                why = "leader of " + requests + "-0";
            }
            System.out.printf("FaultSuiteIT: node %d (%s) killed at %.2f of the requests%n", victim, why, progress);
            cluster.kill(victim);
            Thread.sleep(10_000);
            cluster.startNode(victim);
            assertExact(pipeline, replay);
            cluster.awaitBrokers(3, Duration.ofSeconds(60));

            // Every topic of the run (httpmon's, Kafka Streams' changelogs and repartition topics): 3 replicas, and
            // a write needs 2 of them.
            java.util.Set<String> topics = admin.listTopics().names().get();
            assertTrue(topics.stream().anyMatch(t -> t.endsWith("-changelog")), "Streams' topics are there: " + topics);
            var described = admin.describeTopics(topics).allTopicNames().get();
            var configs = admin.describeConfigs(topics.stream()
                            .map(t -> new org.apache.kafka.common.config.ConfigResource(
                                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t))
                            .toList())
                    .all()
                    .get();
            for (String topic : topics) {
                assertTrue(
                        described.get(topic).partitions().stream()
                                .allMatch(p -> p.replicas().size() == 3),
                        topic + " has 3 replicas of every partition");
            }
            configs.forEach((resource, config) -> assertEquals(
                    "2", config.get("min.insync.replicas").value(), resource.name() + ": min.insync.replicas"));
        }
    }

    /**
     * About how many raw-lines chunks (and so requests batches) the reader makes of the replay: one per 64 KiB of
     * lines, and one more at the end of each 4 MiB it reads at a time. Within a few percent: enough to measure a
     * stage's progress by its records.
     */
    private static long expectedChunks(Replay replay) {
        try {
            long bytes = java.nio.file.Files.size(replay.log());
            return bytes / (64 * 1024) + bytes / (4 * 1024 * 1024) + 1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Offsets a consumer group has committed on a topic (markers included, so slightly more than records). */
    private static long consumed(Admin admin, String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        } catch (Exception e) {
            return 0; // the group has not committed yet
        }
    }

    private static double ratio(Admin admin, String topic, long expected) {
        try {
            return endOffsets(admin, topic) / (double) expected;
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    /** Windows and transitions on the topics and in the display's file are exactly what the counts imply. */
    private static void assertExact(Pipeline pipeline, Replay replay) throws Exception {
        List<Long> windows = replay.windows();
        List<String> transitions = replay.transitions();
        List<ConsumerRecord<byte[], byte[]>> statsRecords;
        List<ConsumerRecord<byte[], byte[]>> alertRecords;
        try (TopicReader stats = new TopicReader(pipeline.bootstrap, Topics.STATS.name(pipeline.prefix));
                TopicReader alerts = new TopicReader(pipeline.bootstrap, Topics.ALERTS.name(pipeline.prefix))) {
            statsRecords = stats.readUntil(endMarker(), WAIT);
            alertRecords = alerts.readUntil(endMarker(), WAIT);
            assertTrue(
                    endMarker().test(statsRecords) && endMarker().test(alertRecords),
                    "both reached the end of input: " + pipeline.outputs());
            statsRecords = stats.readFor(Duration.ofSeconds(1)); // everything, with anything extra
            alertRecords = alerts.readFor(Duration.ofSeconds(1));
        }
        var statsSerde = Topics.STATS.valueSerde().deserializer();
        List<StatsWindow> published = statsRecords.stream()
                .filter(r -> r.value() != null)
                .map(r -> statsSerde.deserialize("t", r.value()))
                .toList();
        assertEquals(
                windows,
                published.stream().map(StatsWindow::hits).toList(),
                () -> "hits per window, in order; " + "late per window: "
                        + published.stream().map(StatsWindow::late).toList());
        assertEquals(0, published.stream().mapToLong(StatsWindow::late).sum(), "nothing late");
        assertEquals(
                replay.hosts(),
                published.stream().map(StatsWindow::uniqueHosts).toList(),
                "unique hosts per window, in order");
        assertEquals(
                windows.stream().mapToLong(Long::longValue).sum(),
                published.stream().mapToLong(StatsWindow::hits).sum(),
                "every line counted once");
        var alertSerde = Topics.ALERTS.valueSerde().deserializer();
        List<String> messages = alertRecords.stream()
                .filter(r -> r.value() != null)
                .map(r -> alertSerde.deserialize("t", r.value()))
                .map(AlertEvent::message)
                .toList();
        assertEquals(transitions, messages, "each transition once on alerts");

        // The display (live, file output) shows every window and transition once: wait for all, then stop it.
        int expectedLines = windows.size() + transitions.size();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (lines(pipeline.out).size() < expectedLines && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000); // anything extra would show now
        assertEquals(0, pipeline.running.get("display").stop(), "display exit code");
        List<String> shown = lines(pipeline.out);
        List<String> shownAlerts =
                shown.stream().filter(l -> !l.startsWith("{")).toList();
        List<Long> shownHits = new ArrayList<>();
        for (String line : shown) {
            if (line.startsWith("{")) {
                shownHits.add(Json.MAPPER.readTree(line).get("hits").asLong());
            }
        }
        assertEquals(transitions, shownAlerts, "each transition once in the display's file");
        assertEquals(windows, shownHits, "each window once in the display's file, in order");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
