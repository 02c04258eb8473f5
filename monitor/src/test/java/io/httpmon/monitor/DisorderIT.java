package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Json;
import io.httpmon.monitor.MonitorCliIT.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written as Apache writes it (each line when its request completes, stamped when it started; requests of
 * up to 20 s): the replay counts every request in its own window, and a live run of the same lines, written at
 * their pace, ends with the same windows once its revisions are in.
 */
@Tag("long") // a replay and a live run of the same log: run by the long profile (.ci/run, after mvn verify)
@ExtendWith(SharedBroker.class)
class DisorderIT {

    @TempDir
    Path dir;

    /** The last record of each window with requests: its final revision. */
    private static Map<String, Long> finalWindows(List<String> output) throws IOException {
        Map<String, Long> windows = new TreeMap<>();
        for (String line : output) {
            if (line.startsWith("{")) {
                JsonNode w = Json.MAPPER.readTree(line);
                assertEquals(0, w.get("late").asLong(), line);
                if (w.get("hits").asLong() > 0 || w.path("revision").asInt() > 0) {
                    windows.put(w.get("window_start").asText(), w.get("hits").asLong());
                }
            }
        }
        return windows;
    }

    @Test
    void aReplayCountsEveryRequestInItsWindowAndALiveRunEndsWithTheSameWindows() throws Exception {
        Path generated = dir.resolve("apache.log");
        Run gen = MonitorCliIT.run(
                dir,
                "generate",
                "-o",
                generated.toString(),
                "--fast",
                "--phases",
                "30s@40",
                "--durations",
                "20",
                "--seed",
                "11");
        assertEquals(0, gen.exit(), gen.stderr());
        List<String> lines = Files.readAllLines(generated);
        Map<String, Long> truth = new TreeMap<>();
        LiveWindows.perWindow(lines, 10)
                .forEach((start, n) -> truth.put(Instant.ofEpochSecond(start).toString(), n));

        Path config = Files.writeString(dir.resolve("c.cfg"), "[Stats]\ninterval = 10\n[Alerts]\n");
        Run replay = MonitorCliIT.run(dir, "-f", generated.toString(), "-c", config.toString(), "--once");
        assertEquals(0, replay.exit(), replay.stderr());
        assertEquals(truth, finalWindows(replay.stdout().lines().toList()), "every request in its own window");
        assertEquals(
                truth.size(),
                replay.stdout().lines().filter(l -> l.startsWith("{")).count(),
                "a replay prints each window once, as finally revised");

        Path log = Files.createFile(dir.resolve("live.log"));
        Path out = dir.resolve("live-out.txt");
        try (ServiceProcess monitor = ServiceProcess.start(
                Path.of("target", "httpmon.jar"),
                "disorder",
                List.of(
                        "-f",
                        log.toString(),
                        "-c",
                        config.toString(),
                        "--from-beginning",
                        "--bootstrap-servers",
                        SharedBroker.bootstrapServers(),
                        "--topic-prefix",
                        SharedBroker.uniquePrefix("disorder"),
                        "--partitions",
                        "3",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--output",
                        "file",
                        "--output-file",
                        out.toString()))) {
            for (int i = 0; i < lines.size(); i += 4) {
                Files.write(log, lines.subList(i, Math.min(lines.size(), i + 4)), StandardOpenOption.APPEND);
                Thread.sleep(100); // 40 lines a second, as they were written
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            Map<String, Long> live = Map.of();
            while (System.nanoTime() < deadline) {
                live = Files.exists(out) ? finalWindows(Files.readAllLines(out)) : Map.of();
                if (live.equals(truth)) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(truth, live, "the live run's final windows: " + monitor.output());
            assertTrue(
                    Files.readAllLines(out).stream().anyMatch(l -> l.contains("\"revision\":1")),
                    "live, late requests revised windows already printed");
        }
    }
}
