package io.httpmon.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import io.httpmon.generator.LogGenerator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Live latency and memory, for the benchmark (not a test): the monitor, run as a user runs it (its own JVM, its
 * embedded broker), follows a log written at RATE lines/s with the current time for SECONDS; stats every second.
 * A window's latency is when its record reaches {@code httpmon.stats} minus the window's end minus the grace
 * period: the delay beyond the window arithmetic itself, for the last line of the window (alerts are evaluated
 * on the same event-time clock, in the same way). Counted in the steady state: not the first quarter of the run
 * (at most 30 s, the JIT warming up) nor the last 3 s (windows closed by idle heartbeats once writing stops). The monitor's resident memory (broker included) is sampled
 * every 5 s, and its CPU per line written in the steady state is reported (from {@code /proc}). Prints one JSON
 * object.
 *
 * <p>{@code java -cp monitor/target/httpmon.jar:monitor/target/test-classes io.httpmon.monitor.LiveLatency RATE
 * SECONDS}
 */
public final class LiveLatency {

    private static final Pattern BROKER = Pattern.compile("broker: +embedded at (\\S+),");
    private static final long GRACE_MS = 2_000;
    /** -Dlatency.series=FILE: one line per window, "window_end_second latency_ms hits". */
    private static final Path SERIES =
            System.getProperty("latency.series") == null ? null : Path.of(System.getProperty("latency.series"));

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("httpmon-latency");
        Path log = Files.createFile(dir.resolve("access.log"));
        Path config = Files.writeString(
                dir.resolve("latency.cfg"), "[Stats]\ninterval = 1\n[Alerts]\n" + "alert_1 = " + rate * 2 + ", 10\n");
        Path jar = Path.of("monitor", "target", "httpmon.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseParallelGC",
                "-Djdk.nio.maxCachedBufferSize=262144")); // as ./httpmon runs the monitor
        // Extra JVM options for the monitor, e.g. -Dlatency.jvm="-Xlog:gc:file=gc.log" to see its pauses.
        String extra = System.getProperty("latency.jvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "-f",
                log.toString(),
                "-c",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--output",
                "file",
                "--output-file",
                dir.resolve("out.txt").toString()));
        Process monitor = new ProcessBuilder(command).redirectErrorStream(true).start();
        AtomicReference<String> bootstrap = new AtomicReference<>();
        Thread banner = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Matcher m = BROKER.matcher(line);
                    if (m.find()) {
                        bootstrap.set(m.group(1));
                    }
                }
            } catch (Exception e) {
                // the monitor ended
            }
        });
        banner.setDaemon(true);
        banner.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (bootstrap.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (bootstrap.get() == null) {
            monitor.destroyForcibly();
            throw new IllegalStateException("the monitor did not print its broker address");
        }

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> hits = Collections.synchronizedList(new ArrayList<>());
        long[] writeWindow = new long[2];
        Thread consumer = new Thread(() -> consume(bootstrap.get(), latencies, hits, writeWindow));
        consumer.setDaemon(true);
        consumer.start();

        List<Long> rssKib = new ArrayList<>();
        // CPU of the monitor's process (broker included) from the steady state's start to the end of writing,
        // over the lines written meanwhile: the per-line cost once the JIT has warmed up.
        long steadyFrom = Duration.ofSeconds(Math.min(30, seconds / 4)).toNanos();
        long[] steadyStart = null;
        LogGenerator generator = new LogGenerator(3, false);
        long start = System.nanoTime();
        long nextSample = start;
        long written = 0;
        int perTick = Math.max(1, rate / 100);
        try (Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            // Steady state only: the first windows are the JIT warming up and the last ones close on the reader's
            // idle heartbeats after the traffic stops (another measurement: see docs/performance.md).
            writeWindow[0] = Instant.now().getEpochSecond() + Math.min(30, seconds / 4);
            for (long tick = 0;
                    System.nanoTime() - start < Duration.ofSeconds(seconds).toNanos();
                    tick++) {
                generator.write(writer, Instant.now().getEpochSecond(), perTick);
                writer.flush();
                written += perTick;
                if (System.nanoTime() >= nextSample) {
                    rssKib.add(rss(monitor.pid()));
                    if (steadyStart == null && System.nanoTime() - start >= steadyFrom) {
                        steadyStart = new long[] {cpuTicks(monitor.pid()), written};
                    }
                    nextSample += Duration.ofSeconds(5).toNanos();
                }
                long due = start + (tick + 1) * 10_000_000L;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            writeWindow[1] = Instant.now().getEpochSecond() - 3;
        }
        long steadyCpuTicks = steadyStart == null ? 0 : cpuTicks(monitor.pid()) - steadyStart[0];
        long steadyLines = steadyStart == null ? 0 : written - steadyStart[1];
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(GRACE_MS + 3_000); // the last windows close on the reader's idle heartbeats
        monitor.destroy();
        monitor.waitFor();

        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        long firstRss = rssKib.size() > 12 ? rssKib.get(12) : rssKib.get(0); // after the first minute
        System.out.printf(
                Locale.ROOT,
                "{\"rate\": %d, \"seconds\": %d, \"lines_written\": %d, \"actual_rate\": %.0f, "
                        + "\"windows\": %d, \"latency_ms_p50\": %d, \"latency_ms_p99\": %d, \"latency_ms_max\": %d, "
                        + "\"steady_cpu_us_per_line\": %.1f, \"rss_mib_after_1_min\": %d, \"rss_mib_max\": %d, \"rss_mib_last\": %d, \"rss_mib_samples\": %s}%n",
                rate,
                seconds,
                written,
                written / elapsed,
                sorted.size(),
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
                steadyLines == 0 ? -1.0 : steadyCpuTicks * 1e6 / CLOCK_TICKS_PER_S / steadyLines,
                firstRss / 1024,
                rssKib.stream().mapToLong(Long::longValue).max().orElse(0) / 1024,
                rssKib.get(rssKib.size() - 1) / 1024,
                rssKib.stream().map(k -> k / 1024).toList());
    }

    private static void consume(String bootstrap, List<Long> latencies, List<Long> hits, long[] writeWindow) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition stats = new TopicPartition("httpmon.stats", 0);
            while (consumer.partitionsFor(stats.topic(), Duration.ofSeconds(5)).isEmpty()) {
                Thread.sleep(100);
            }
            consumer.assign(List.of(stats));
            consumer.seekToBeginning(List.of(stats));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long received = System.currentTimeMillis();
                    if (r.value() == null) {
                        continue;
                    }
                    JsonNode w = Json.MAPPER.readTree(r.value());
                    long end = Instant.parse(w.get("window_end").asText()).toEpochMilli();
                    long startSecond = end / 1000 - 1;
                    // Only windows fully inside the steady part of the run.
                    if (startSecond >= writeWindow[0] && (writeWindow[1] == 0 || startSecond <= writeWindow[1])) {
                        latencies.add(received - end - GRACE_MS);
                        hits.add(w.get("hits").asLong());
                        if (SERIES != null) {
                            Files.writeString(
                                    SERIES,
                                    (end / 1000) + " " + (received - end - GRACE_MS) + " "
                                            + w.get("hits").asLong() + "\n",
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                        }
                    }
                }
            }
        } catch (Exception e) {
            // the run is over
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Resident memory of the process and its children (the monitor has none: the broker is in it), KiB. */
    /** USER_HZ of /proc/PID/stat's times: 100 on Linux's usual builds. */
    private static final double CLOCK_TICKS_PER_S = 100.0;

    /** User plus system CPU of the process so far, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its end
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (Exception e) {
            return 0; // gone
        }
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // gone
        }
        return 0;
    }
}
