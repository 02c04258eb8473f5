package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random timestamp sequences (gaps of seconds to years, far past, far future, shuffled) through the stats topology:
 * every request is counted once (in its window or as late), the records cover event time without gap or overlap,
 * and both the output and the work (state-store writes, i.e. changelog records) are bounded by the input however
 * long the time spans are.
 */
class StatsTimePropertyTest {

    private static final long S = 1000;
    private static final long YEAR = 365L * 86_400 * S;
    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    /** Timestamps of one random log: bursts of in-order traffic separated by gaps of any size, some from far off. */
    private static List<Long> randomLog(Random random, boolean shuffled) {
        List<Long> times = new ArrayList<>();
        long t = random.nextBoolean() ? Instant.parse("1971-01-01T00:00:00Z").toEpochMilli() : NOW - 3 * YEAR;
        int bursts = 1 + random.nextInt(6);
        for (int b = 0; b < bursts; b++) {
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                t += random.nextInt(3000);
                times.add(t);
            }
            long[] gaps = {2 * S, 45 * S, 20 * 60 * S, 86_400 * S, YEAR, 10 * YEAR};
            t += gaps[random.nextInt(gaps.length)] + random.nextInt(1000);
        }
        if (random.nextInt(4) == 0) {
            times.add(random.nextInt(times.size()), NOW + 100 * YEAR); // a line from the far future
        }
        if (random.nextInt(4) == 0) {
            times.add(random.nextInt(times.size()), 0L); // and one from 1970
        }
        if (shuffled) {
            Collections.shuffle(times, random);
        }
        return times;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyRequestCountedOnceOutputAndWorkFollowTheInputNotTheClock(long seed) {
        Random random = new Random(seed);
        boolean shuffled = seed % 2 == 0;
        List<Long> times = randomLog(random, shuffled);
        String why = "seed " + seed + (shuffled ? " (shuffled)" : "") + ", " + times.size() + " requests";

        StatsSettings settings = new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1));
        try (PipelineDriver pipeline =
                new PipelineDriver(StatsTopology.build("p.", settings), "p.", stateDir, Instant.ofEpochMilli(NOW))) {
            TopologyTestDriver driver = pipeline.driver();
            // In batches of random sizes, as the parser sends the lines of a chunk: each request at its own time.
            List<HttpRequest> batch = new ArrayList<>();
            for (long t : times) {
                batch.add(TestRequest.at(t).host("10.0.0." + random.nextInt(5)).build());
                if (random.nextInt(8) == 0) {
                    send(pipeline, batch);
                }
            }
            send(pipeline, batch);
            pipeline.endOfInput(Instant.ofEpochMilli(NOW));

            TestOutputTopic<String, StatsWindow> out = pipeline.output(Topics.STATS);
            List<StatsWindow> windows =
                    out.readValuesToList().stream().filter(w -> w != null).toList();

            long counted = windows.stream().mapToLong(w -> w.hits() + w.late()).sum();
            assertEquals(times.size(), counted, why + ": every request once, in its window or as late");
            for (int i = 1; i < windows.size(); i++) {
                assertEquals(
                        windows.get(i - 1).windowEnd(),
                        windows.get(i).windowStart(),
                        why + ": the records cover event time without gap or overlap");
            }
            for (StatsWindow w : windows) {
                long span = Instant.parse(w.windowEnd()).toEpochMilli()
                        - Instant.parse(w.windowStart()).toEpochMilli();
                assertEquals(span, w.windows() * 10 * S, why + ": 'windows' says how many intervals a record covers");
                assertTrue(w.windows() == 1 || w.hits() == 0, why + ": only empty time is reported in spans");
            }
            if (!shuffled) {
                Map<Long, Long> truth = new TreeMap<>();
                long max = Long.MIN_VALUE;
                for (long t : times) {
                    if (t >= max - 2 * S || Math.floorDiv(t, 10 * S) * 10 * S + 12 * S > max) {
                        truth.merge(Math.floorDiv(t, 10 * S) * 10 * S, 1L, Long::sum);
                    }
                    max = Math.max(max, t);
                }
                for (StatsWindow w : windows) {
                    if (w.hits() > 0) {
                        assertEquals(
                                truth.get(Instant.parse(w.windowStart()).toEpochMilli()),
                                w.hits(),
                                why + ": window " + w.windowStart());
                    }
                }
            }

            long dataWindows = windows.stream().filter(w -> w.hits() > 0).count();
            assertTrue(
                    windows.size() <= (StatsSink.MAX_EMPTY_RUN + 1) * (dataWindows + 1),
                    why + ": " + windows.size() + " records for " + dataWindows + " windows with requests");
            long storeWrites = 0;
            for (String topic : driver.producedTopicNames()) {
                if (topic.endsWith("-changelog")) {
                    storeWrites += driver.createOutputTopic(
                                    topic,
                                    Serdes.ByteArray().deserializer(),
                                    Serdes.ByteArray().deserializer())
                            .getQueueSize();
                }
            }
            assertTrue(
                    storeWrites <= 30L * times.size() + 100L * windows.size(),
                    why + ": " + storeWrites + " store writes for " + times.size() + " requests and " + windows.size()
                            + " records");
        }
    }

    /**
     * Requests stamped when they started and written when they completed (as Apache does), any duration up to
     * 50 s, with max lateness 60 s: the last record of every window (its final revision) equals the ground truth
     * computed from the timestamps, nothing is late, and the revisions are per window and step, not per request.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void theFinalRevisionOfEveryWindowIsTheTruthForAnyDisorderWithinMaxLateness(long seed) {
        Random random = new Random(seed);
        record Request(long start, long end) {}
        List<Request> log = new ArrayList<>();
        long t = NOW - 3600 * S;
        int n = 200 + random.nextInt(800);
        for (int i = 0; i < n; i++) {
            t += random.nextInt(random.nextInt(10) == 0 ? 20_000 : 300);
            long duration = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(50);
                case 1 -> random.nextInt(2_000);
                case 2 -> random.nextInt(20_000);
                default -> random.nextInt(50_000);
            };
            log.add(new Request(t, t + duration));
        }
        log.sort(java.util.Comparator.comparingLong(Request::end)); // written in completion order
        Map<Long, Long> truth = new TreeMap<>();
        log.forEach(r -> truth.merge(Math.floorDiv(r.start(), 10 * S) * 10 * S, 1L, Long::sum));

        StatsSettings settings =
                new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1), Duration.ofSeconds(60));
        try (PipelineDriver pipeline =
                new PipelineDriver(StatsTopology.build("p.", settings), "p.", stateDir, Instant.ofEpochMilli(NOW))) {
            List<HttpRequest> batch = new ArrayList<>();
            for (Request r : log) {
                batch.add(TestRequest.at(r.start())
                        .host("10.0.0." + random.nextInt(5))
                        .build());
                if (random.nextInt(8) == 0) {
                    send(pipeline, batch);
                }
            }
            send(pipeline, batch);
            pipeline.endOfInput(Instant.ofEpochMilli(NOW));

            List<StatsWindow> out = pipeline.output(Topics.STATS).readValuesToList().stream()
                    .filter(w -> w != null)
                    .toList();
            Map<Long, Long> last = new TreeMap<>();
            Map<Long, Integer> revisions = new TreeMap<>();
            for (StatsWindow w : out) {
                long start = Instant.parse(w.windowStart()).toEpochMilli();
                if (w.hits() > 0 || w.revision() > 0) {
                    last.put(start, w.hits());
                }
                if (w.revision() > 0) {
                    assertEquals(revisions.getOrDefault(start, 0) + 1, w.revision(), "seed " + seed + ": in order");
                    revisions.put(start, w.revision());
                }
            }
            assertEquals(truth, last, "seed " + seed + ": the final revision of every window is the truth");
            assertEquals(0, out.stream().mapToLong(StatsWindow::late).sum(), "seed " + seed);
            long revised = out.stream().filter(w -> w.revision() > 0).count();
            assertTrue(
                    revised <= truth.size() * 8L,
                    "seed " + seed + ": " + revised + " revisions for " + truth.size() + " windows and " + n
                            + " requests: per window and step of the clock");
        }
    }

    /** Pipes the gathered requests as one batch (read when its newest was stamped) and empties the list. */
    private static void send(PipelineDriver pipeline, List<HttpRequest> batch) {
        if (!batch.isEmpty()) {
            pipeline.send(new RequestBatch(
                    batch.stream().mapToLong(HttpRequest::timestamp).max().orElseThrow(), 0, batch));
            batch.clear();
        }
    }
}
