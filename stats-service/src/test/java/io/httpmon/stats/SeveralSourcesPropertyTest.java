package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several web servers, one reader each, their batches interleaved at random and each ending when it likes: each
 * server's log in order, but the servers' clocks apart by anything from seconds to hours. Every window's final
 * record equals an oracle's count of all servers' requests, nothing is late, and the statistics end only after the
 * last server has ended.
 */
class SeveralSourcesPropertyTest {

    private static final long S = 1000;
    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    /** One server's log: in order, starting {@code offset} after the others' common start. */
    private static List<Long> serverLog(Random random, long offset) {
        List<Long> times = new ArrayList<>();
        long t = NOW - 6 * 3600 * S + offset;
        int n = 50 + random.nextInt(400);
        for (int i = 0; i < n; i++) {
            t += random.nextInt(random.nextInt(10) == 0 ? 60_000 : 2_000);
            times.add(t);
        }
        return times;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void everyRequestOfEveryServerCountedOnceInItsWindowWhateverTheInterleaving(long seed) {
        Random random = new Random(seed);
        int servers = 2 + random.nextInt(3);
        long[] offsets = {0, 30 * S, 5 * 60 * S, 2 * 3600 * S, -45 * S};
        List<List<Long>> logs = new ArrayList<>();
        Map<Long, Long> truth = new TreeMap<>();
        for (int k = 0; k < servers; k++) {
            List<Long> log = serverLog(random, offsets[random.nextInt(offsets.length)]);
            logs.add(log);
            log.forEach(t -> truth.merge(Math.floorDiv(t, 10 * S) * 10 * S, 1L, Long::sum));
        }
        long total = truth.values().stream().mapToLong(Long::longValue).sum();
        String why = "seed " + seed + ", " + servers + " servers, " + total + " requests";

        StatsSettings settings =
                new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1), Duration.ofSeconds(60));
        try (PipelineDriver pipeline =
                new PipelineDriver(StatsTopology.build("p.", settings), "p.", stateDir, Instant.ofEpochMilli(NOW))) {
            Instant readAt = Instant.ofEpochMilli(NOW);
            for (int k = 0; k < servers; k++) {
                pipeline.hello("web" + k, readAt);
            }
            int[] next = new int[servers];
            int ended = 0;
            List<StatsWindow> beforeLastEnd = new ArrayList<>();
            while (ended < servers) {
                int k = random.nextInt(servers);
                List<Long> log = logs.get(k);
                if (next[k] > log.size()) {
                    continue; // ended already
                }
                readAt = readAt.plusMillis(random.nextInt(50)); // the readers' clocks: all within a few seconds
                if (next[k] == log.size()) {
                    pipeline.endOfInput("web" + k, readAt);
                    next[k]++;
                    ended++;
                    if (ended == servers - 1) {
                        beforeLastEnd.addAll(pipeline.output(Topics.STATS).readValuesToList());
                    }
                    continue;
                }
                int size = 1 + random.nextInt(30);
                List<HttpRequest> batch = new ArrayList<>();
                for (int i = next[k]; i < Math.min(log.size(), next[k] + size); i++) {
                    batch.add(
                            TestRequest.at(log.get(i)).host("10.0." + k + ".1").build());
                }
                next[k] += batch.size();
                pipeline.send("web" + k, readAt, batch);
            }
            assertTrue(
                    beforeLastEnd.stream().noneMatch(w -> w == null),
                    why + ": no end of input before the last server ended");
            List<StatsWindow> after = pipeline.output(Topics.STATS).readValuesToList();
            assertTrue(after.contains(null), why + ": the end of input once every server ended");
            List<StatsWindow> all = new ArrayList<>(beforeLastEnd);
            all.addAll(after);

            Map<Long, Long> last = new TreeMap<>();
            long late = 0;
            for (StatsWindow w : all) {
                if (w == null) {
                    continue;
                }
                late += w.late();
                if (w.hits() > 0 || w.revision() > 0) {
                    last.put(Instant.parse(w.windowStart()).toEpochMilli(), w.hits());
                }
            }
            assertEquals(0, late, why + ": no server's request is late");
            assertEquals(truth, last, why + ": the final record of every window is the truth");
        }
    }
}
