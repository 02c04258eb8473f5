package io.httpmon.monitor;

import io.httpmon.broker.ServiceProcess;
import io.httpmon.common.ClientConfigs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Scaling figures with every part its own process, as deployed: a broker ({@code httpmon-broker.jar}), then for
 * each mode, partition count and parser count, on fresh topics, a run of {@link #run}: the wall time, the lines a
 * second, and each stage's CPU time (as the OS counts it), one JSON line per run. A benchmark, not a test.
 *
 * <pre>cd monitor && java -cp target/httpmon.jar:target/test-classes:../broker/target/test-classes \
 *   io.httpmon.monitor.ScalingBench FILE LINES [PARTITIONS,..] [PARSERS,..] [parse,full]</pre>
 */
public final class ScalingBench {

    private ScalingBench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("httpmon.service.jvm.flags", ""); // the services' JIT as deployed, not the tests' C1 only
        Path file = Path.of(args[0]).toAbsolutePath();
        long lines = Long.parseLong(args[1]);
        List<Integer> partitionCounts = ints(args.length > 2 ? args[2] : "3,6");
        List<Integer> parserCounts = ints(args.length > 3 ? args[3] : "1,2,3");
        String mode = args.length > 4 ? args[4] : "parse,full";
        List<Boolean> modes = java.util.Arrays.stream(mode.split(","))
                .map(m -> m.equals("full"))
                .toList();
        Path dir = Files.createTempDirectory("httpmon-scaling");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        try (ServiceProcess broker = ServiceProcess.start(
                jar("broker"),
                "scaling-broker",
                "-Xmx512m",
                List.of(
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dir.resolve("broker").toString()))) {
            awaitBroker(broker);
            for (boolean full : modes) {
                for (int partitions : partitionCounts) {
                    for (int parsers : parserCounts) {
                        run(bootstrap, broker, file, lines, partitions, parsers, full, dir);
                    }
                }
            }
        }
    }

    /**
     * One run on fresh topics: every consumer started and in its group first; then the reader publishes the file
     * while they work. {@code full}: parsers, stats, alert and a display ({@code --once}, whose exit ends the run);
     * else the parsers alone (the run ends when their lag is 0 after the reader's end). CPU is counted from the
     * reader's start: start-ups left out.
     */
    private static void run(
            String bootstrap,
            ServiceProcess broker,
            Path file,
            long lines,
            int partitions,
            int parsers,
            boolean full,
            Path dir)
            throws Exception {
        String prefix = "scale-" + partitions + "-" + parsers + "-" + System.nanoTime() % 100000 + ".";
        List<String> kafka = List.of(
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--partitions",
                Integer.toString(partitions));
        List<ServiceProcess> parserProcesses = new ArrayList<>();
        for (int i = 1; i <= parsers; i++) {
            parserProcesses.add(ServiceProcess.start(
                    jar("parser-service"),
                    "scaling-parser",
                    "-Xmx384m",
                    concat(kafka, List.of("--instance-id", "parser-" + i))));
        }
        ServiceProcess stats = null;
        ServiceProcess alert = null;
        ServiceProcess display = null;
        if (full) {
            stats = ServiceProcess.start(
                    jar("stats-service"),
                    "scaling-stats",
                    "-Xmx512m",
                    concat(
                            kafka,
                            List.of(
                                    "--interval",
                                    "10",
                                    "--state-dir",
                                    dir.resolve(prefix + "stats").toString())));
            alert = ServiceProcess.start(
                    jar("alert-service"),
                    "scaling-alert",
                    "-Xmx384m",
                    concat(
                            kafka,
                            List.of(
                                    "--rule",
                                    "alert_1=10,120",
                                    "--rule",
                                    "alert_2=2500,10",
                                    "--state-dir",
                                    dir.resolve(prefix + "alert").toString())));
            display = ServiceProcess.start(
                    jar("display-service"),
                    "scaling-display",
                    "-Xmx256m",
                    concat(
                            kafka,
                            List.of(
                                    "--from-beginning",
                                    "--once",
                                    "--output",
                                    "file",
                                    "--file",
                                    dir.resolve(prefix + "out.txt").toString())));
        }
        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
                KafkaConsumer<byte[], byte[]> counter = new KafkaConsumer<>(
                        ClientConfigs.standaloneConsumer(common),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            // Every consumer in its group before the first line: a parser that joins late would find the work done.
            while (true) {
                Map<String, PipelineStatus.Stage> stages = stages(admin, counter, prefix);
                if (stages.get("parser").instances() == parsers
                        && stages.get("parser").state().equals("Stable")
                        && (!full
                                || stages.get("stats").instances() == 1
                                        && stages.get("alert").instances() == 1
                                        && stages.get("stats").state().equals("Stable")
                                        && stages.get("alert").state().equals("Stable"))) {
                    break;
                }
                Thread.sleep(200);
            }
            double brokerBefore = seconds(broker.cpu());
            double[] before =
                    new double[] {cpu(parserProcesses), full ? seconds(stats.cpu()) : 0, full ? seconds(alert.cpu()) : 0
                    };
            long t0 = System.nanoTime();
            ServiceProcess reader = ServiceProcess.start(
                    jar("reader-service"),
                    "scaling-reader",
                    "-Xmx256m",
                    concat(kafka, List.of("-f", file.toString(), "--once")));
            double readerCpu = 0;
            double parsersCpu = 0;
            double statsCpu = 0;
            double alertCpu = 0;
            double parsedAt = -1;
            while (true) {
                readerCpu = Math.max(readerCpu, seconds(reader.cpu()));
                parsersCpu = cpu(parserProcesses) - before[0];
                if (full) {
                    statsCpu = seconds(stats.cpu()) - before[1];
                    alertCpu = seconds(alert.cpu()) - before[2];
                }
                if (parsedAt < 0
                        && !reader.isAlive()
                        && stages(admin, counter, prefix).get("parser").lag() == 0) {
                    parsedAt = (System.nanoTime() - t0) / 1e9;
                }
                if (parsedAt >= 0 && (!full || !display.isAlive())) {
                    break;
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double brokerCpu = seconds(broker.cpu()) - brokerBefore;
            for (ServiceProcess p : parserProcesses) {
                p.stop();
            }
            if (full) {
                stats.stop();
                alert.stop();
            }
            System.out.printf(
                    Locale.ROOT,
                    "{\"mode\":\"%s\",\"partitions\":%d,\"parsers\":%d,\"lines\":%d,"
                            + "\"seconds\":%.2f,\"lines_per_s\":%.0f,\"parsed_after_s\":%.2f,\"cpu_s\":{\"reader\":%.2f,"
                            + "\"parsers\":%.2f,\"stats\":%.2f,\"alert\":%.2f,\"broker\":%.2f}}%n",
                    full ? "full" : "parse",
                    partitions,
                    parsers,
                    lines,
                    seconds,
                    lines / seconds,
                    parsedAt,
                    readerCpu,
                    parsersCpu,
                    statsCpu,
                    alertCpu,
                    brokerCpu);
        }
    }

    private static Map<String, PipelineStatus.Stage> stages(
            Admin admin, KafkaConsumer<byte[], byte[]> counter, String prefix) throws Exception {
        Map<String, PipelineStatus.Stage> stages = new java.util.HashMap<>();
        for (PipelineStatus.Stage stage : PipelineStatus.read(admin, counter, prefix, Duration.ofMillis(10))) {
            stages.put(stage.stage(), stage);
        }
        return stages;
    }

    private static double cpu(List<ServiceProcess> processes) {
        double sum = 0;
        for (ServiceProcess p : processes) {
            sum += seconds(p.cpu());
        }
        return sum;
    }

    private static void awaitBroker(ServiceProcess broker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!broker.output().contains("Kafka broker ready")) {
            if (System.nanoTime() > deadline || !broker.isAlive()) {
                throw new IllegalStateException("the broker did not start: " + broker.output());
            }
            Thread.sleep(200);
        }
    }

    private static Path jar(String module) {
        return module.equals("broker")
                ? Path.of("..", "broker", "target", "httpmon-broker.jar")
                : Path.of("..", module, "target", module + ".jar");
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static List<Integer> ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(Integer::parseInt).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
