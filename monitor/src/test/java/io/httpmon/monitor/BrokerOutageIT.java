package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.KafkaBroker;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.common.Json;
import io.httpmon.generator.LogGenerator;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops for 15 s under live traffic and comes back: the monitor (a separate process, on that broker)
 * waits, resumes, and every window it prints holds exactly the lines written in it. Nothing is counted
 * late, and the alert that fired stays firing through the outage: no window closes and no alert recovers while
 * the pipeline is stalled, only when the traffic really stops.
 */
class BrokerOutageIT {

    @TempDir
    Path dir;

    @Test
    void windowsAreExactAndNoAlertRecoversWhileTheBrokerIsDown() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path brokerDir = dir.resolve("broker");
        Path log = Files.createFile(dir.resolve("access.log"));
        Path out = dir.resolve("out.txt");
        Path config = Files.writeString(dir.resolve("c.cfg"), "[Stats]\ninterval = 10\n[Alerts]\nalert_1 = 30, 10\n");
        KafkaBroker broker = KafkaBroker.start(brokerDir, "127.0.0.1", port, Duration.ofSeconds(60));
        Path jar = Path.of("target", "httpmon.jar");
        String said;
        try (ServiceProcess monitor = ServiceProcess.start(
                jar,
                "outage-monitor",
                List.of(
                        "-f",
                        log.toString(),
                        "-c",
                        config.toString(),
                        "--from-beginning",
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--output",
                        "file",
                        "--output-file",
                        out.toString(),
                        "--partitions",
                        "3"))) {
            LogGenerator generator = new LogGenerator(11, false);
            try (Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                write(generator, writer, 20); // 40 lines/s: the rule fires
                broker.close();
                write(generator, writer, 15); // the broker is down
                broker = KafkaBroker.start(brokerDir, "127.0.0.1", port, Duration.ofSeconds(60));
                write(generator, writer, 20); // back
            }
            long lastSecond = Instant.now().getEpochSecond();
            // Traffic stopped: the reader's heartbeats close the last windows; wait for one past the traffic.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!LiveWindows.windowsPast(out, lastSecond + 10) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(
                    LiveWindows.windowsPast(out, lastSecond + 10),
                    "windows after the traffic: " + read(out) + monitor.output());
            assertTrue(monitor.isAlive(), "the monitor rode out the outage: " + monitor.output());
            said = monitor.output();
        } finally {
            broker.close();
        }

        // Each service says once that it lost Kafka and once that it is back, nothing more.
        for (String service : List.of("reader", "parser", "stats", "alert", "display")) {
            String who = "(?m)\\b" + service + "( \\S+)?: ";
            String where = "Kafka at 127\\.0\\.0\\.1:" + port;
            Pattern lost = Pattern.compile(who + "lost the connection to " + where + "; waiting for it");
            Pattern back = Pattern.compile(who + "connected to " + where + " again after \\d+ s");
            assertEquals(1, lost.matcher(said).results().count(), service + " lost, once: " + said);
            assertEquals(1, back.matcher(said).results().count(), service + " back, once: " + said);
        }

        Map<Long, Long> written = LiveWindows.perWindow(Files.readAllLines(log), 10);
        List<String> alerts = new ArrayList<>();
        long late = 0;
        int compared = 0;
        for (String line : Files.readAllLines(out)) {
            if (!line.startsWith("{")) {
                alerts.add(line);
                continue;
            }
            JsonNode w = Json.MAPPER.readTree(line);
            long start = Instant.parse(w.get("window_start").asText()).getEpochSecond();
            late += w.get("late").asLong();
            assertEquals(
                    written.getOrDefault(start, 0L).longValue(), w.get("hits").asLong(), line);
            compared++;
        }
        assertEquals(0, late, "nothing is late: no window closed while the broker was down");
        assertTrue(compared >= 6, "windows compared: " + compared);
        assertEquals(2, alerts.size(), "fired once, recovered once, after the traffic stopped: " + alerts);
        assertTrue(alerts.get(0).startsWith("High traffic generated an alert"), alerts.toString());
        assertTrue(alerts.get(1).startsWith("High traffic alert recovered at"), alerts.toString());
    }

    /** Writes 4 lines every 100 ms with the current time, for {@code seconds}. */
    private static void write(LogGenerator generator, Writer writer, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            generator.write(writer, Instant.now().getEpochSecond(), 4);
            writer.flush();
            Thread.sleep(100);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
