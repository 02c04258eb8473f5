package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Control;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsTopologyTest {

    private static final String PREFIX = "t.";
    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");

    @TempDir
    Path stateDir;

    private PipelineDriver pipeline;
    private TestOutputTopic<String, StatsWindow> stats;

    private void start(int intervalSeconds, Instant wallClock) {
        start(new StatsSettings(intervalSeconds, Duration.ofSeconds(2), 10, Duration.ofSeconds(1)), wallClock);
    }

    private void start(StatsSettings settings, Instant wallClock) {
        pipeline = new PipelineDriver(StatsTopology.build(PREFIX, settings), PREFIX, stateDir, wallClock);
        stats = pipeline.output(Topics.STATS);
    }

    private void start() {
        start(10, T0);
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static HttpRequest request(
            String host, String user, String method, String resource, int status, Long bytes, long second) {
        return TestRequest.at(T0.plusSeconds(second))
                .host(host)
                .user(user)
                .method(method, resource)
                .status(status)
                .bytes(bytes)
                .build();
    }

    private void send(HttpRequest request) {
        pipeline.send(request);
    }

    private void hit(long second) {
        send(request("10.0.0.1", null, "GET", "/", 200, 1L, second));
    }

    private void idle(Instant readerClock, String fromPartition) {
        String[] pn = fromPartition.split("/");
        pipeline.idle(readerClock, Integer.parseInt(pn[0]), Integer.parseInt(pn[1]));
    }

    private void endOfInput() {
        pipeline.endOfInput(T0.plusSeconds(3600));
    }

    @Test
    void garbageFromAForeignProducerIsSkippedAndCountsNothing() {
        // The production Streams settings: their deserialization handler is what is tested.
        Properties props = io.httpmon.streams.StreamsRunner.config(
                io.httpmon.common.KafkaOptions.of("unused:9092", PREFIX, 1), "stats-test", stateDir);
        StatsSettings settings = new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1));
        pipeline = new PipelineDriver(StatsTopology.build(PREFIX, settings), PREFIX, props, T0);
        stats = pipeline.output(Topics.STATS);
        TestInputTopic<String, byte[]> raw = pipeline.rawRequests();
        hit(1);
        long t = T0.plusSeconds(2).toEpochMilli();
        raw.pipeInput("x", "not json at all \u001b[2J".getBytes(StandardCharsets.UTF_8), t);
        raw.pipeInput("x", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8), t);
        raw.pipeInput("x", "{}".getBytes(StandardCharsets.UTF_8), t);
        raw.pipeInput("x", "{\"host\":\"h\",\"status\":-5}".getBytes(StandardCharsets.UTF_8), t);
        raw.pipeInput("x", new byte[] {(byte) 0xff, 0, 1}, t);
        hit(3);
        hit(13);
        List<TestRecord<String, StatsWindow>> out = stats.readRecordsToList();
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).value().hits());
    }

    /** The windows a few requests give, and the topics the topology wrote besides {@code stats}. */
    private record Run(List<StatsWindow> windows, java.util.Set<String> changelogs) {}

    private Run replayOf(io.httpmon.windowing.Durability durability) {
        StatsSettings settings = new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1))
                .withMonitors(List.of(
                        io.httpmon.common.config.MonitorSettings.parse("[Stats errors]\nstatus = 5xx\n", "test")));
        try (PipelineDriver driver =
                new PipelineDriver(StatsTopology.build(PREFIX, settings, durability), PREFIX, stateDir, T0)) {
            TestOutputTopic<String, StatsWindow> out = driver.output(Topics.STATS);
            for (int s = 0; s < 25; s++) {
                driver.send(
                        request("10.0.0." + s % 4, "u" + s % 3, "GET", "/a/" + s % 5, s % 7 == 0 ? 503 : 200, 10L, s));
            }
            driver.endOfInput(T0.plusSeconds(30));
            java.util.Set<String> changelogs = new java.util.TreeSet<>();
            driver.driver().producedTopicNames().stream()
                    .filter(t -> t.endsWith("-changelog"))
                    .forEach(changelogs::add);
            return new Run(out.readValuesToList(), changelogs);
        }
    }

    @Test
    void aReplaysStateKeepsNoChangelogsAndGivesTheSameWindows() {
        Run restartable = replayOf(io.httpmon.windowing.Durability.RESTARTABLE);
        Run throwaway = replayOf(io.httpmon.windowing.Durability.THROWAWAY);
        assertTrue(
                restartable
                        .changelogs()
                        .containsAll(List.of(
                                "pipeline-test-stats-partial-changelog",
                                "pipeline-test-monitor-errors-pending-changelog")),
                "a service's state is changelogged: " + restartable.changelogs());
        assertEquals(java.util.Set.of(), throwaway.changelogs(), "a replay's state has no changelog");
        assertEquals(
                8,
                restartable.windows().size(),
                "three windows of each monitor, and each one's end of input: " + restartable.windows());
        assertEquals(restartable.windows(), throwaway.windows());
    }

    @Test
    void oneRecordPerWindowEmittedWhenTheWindowCloses() {
        start();
        send(request("10.0.0.1", "james", "GET", "/report/daily", 200, 100L, 1));
        send(request("10.0.0.2", "jill", "POST", "/api/user?id=1", 503, null, 5));
        send(request("10.0.0.1", "james", "GET", "/api/user", 404, 7L, 9));
        assertTrue(stats.isEmpty(), "nothing before the window closes");
        hit(11);
        assertTrue(stats.isEmpty(), "the grace period is not over at 12:00:11");
        hit(12);
        List<TestRecord<String, StatsWindow>> out = stats.readRecordsToList();
        assertEquals(1, out.size());
        StatsWindow w = out.get(0).value();
        assertEquals(T0.plusSeconds(10).toEpochMilli(), out.get(0).timestamp());
        assertEquals("2018-05-09T12:00:10Z", w.time());
        assertEquals("2018-05-09T12:00:00Z", w.windowStart());
        assertEquals("2018-05-09T12:00:10Z", w.windowEnd());
        assertEquals(3, w.hits());
        assertEquals(0.3, w.tps(), 1e-9);
        assertEquals(List.of("/api", "/report"), w.mostHits());
        assertEquals(List.of("james", "jill"), w.mostActiveUsers());
        assertEquals(Map.of("2xx", 1L, "3xx", 0L, "4xx", 1L, "5xx", 1L), w.statusCodes());
        assertEquals(Map.of("/api", 2L, "/report", 1L), w.topSections());
        assertEquals(Map.of("/report/daily", 1L, "/api/user?id=1", 1L, "/api/user", 1L), w.topResources());
        assertEquals(Map.of("GET", 2L, "POST", 1L), w.methods());
        assertEquals(107, w.bytes());
        assertEquals(2, w.uniqueHosts());
        assertEquals(0, w.late());
    }

    @Test
    void uniqueHostsAreExactUpToTheCapAndAnEstimateWithinItsErrorBeyond() {
        start();
        int exact = io.httpmon.windowing.PartialWindowProcessor.EXACT_DISTINCT;
        for (int i = 0; i < exact; i++) {
            send(request("10.1." + i / 256 + "." + i % 256, null, "GET", "/", 200, 1L, i % 10));
        }
        for (int i = 0; i < exact; i++) {
            send(request("10.1." + i / 256 + "." + i % 256, null, "GET", "/", 200, 1L, 10 + i % 10));
        }
        for (int i = 0; i < 3 * exact; i++) {
            send(request("10.2." + i / 256 + "." + i % 256, null, "GET", "/", 200, 1L, 10 + i % 10));
        }
        endOfInput();
        List<StatsWindow> out = stats.readValuesToList().stream()
                .filter(java.util.Objects::nonNull)
                .toList();
        assertEquals(
                List.of((long) exact, 4L * exact),
                out.stream().map(StatsWindow::hits).toList());
        assertEquals(exact, out.get(0).uniqueHosts(), "exact at the cap");
        long estimate = out.get(1).uniqueHosts();
        assertTrue(Math.abs(estimate - 4 * exact) < 4 * exact * 0.05, "within 5% of " + 4 * exact + ": " + estimate);
    }

    @Test
    void windowsWithoutTrafficAreReportedWithZeroHits() {
        start();
        hit(1);
        hit(45);
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(
                List.of(1L, 0L, 0L, 0L), out.stream().map(StatsWindow::hits).toList());
        assertEquals("2018-05-09T12:00:40Z", out.get(3).time());
        assertEquals(
                Map.of("2xx", 0L, "3xx", 0L, "4xx", 0L, "5xx", 0L), out.get(1).statusCodes());
    }

    @Test
    void outOfOrderWithinGraceIsCountedInItsWindow() {
        start();
        hit(9);
        hit(11);
        hit(8);
        hit(12);
        assertEquals(
                List.of(2L),
                stats.readValuesToList().stream().map(StatsWindow::hits).toList());
    }

    @Test
    void laterThanGraceIsCountedAsLateInTheNextWindow() {
        start();
        hit(1);
        hit(13);
        assertEquals(1, stats.readValuesToList().size());
        hit(5);
        hit(25);
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).hits());
        assertEquals(1, out.get(0).late());
    }

    @Test
    void windowBoundariesAreAlignedToTheEpochAndEndExclusive() {
        start();
        hit(0);
        hit(9);
        hit(10);
        hit(22);
        assertEquals(
                List.of(2L, 1L),
                stats.readValuesToList().stream().map(StatsWindow::hits).toList());
    }

    @Test
    void endOfInputClosesEveryWindowAndIsPassedOn() {
        start();
        hit(1);
        hit(12);
        hit(13);
        endOfInput();
        List<TestRecord<String, StatsWindow>> out = stats.readRecordsToList();
        assertEquals(3, out.size());
        assertEquals(1, out.get(0).value().hits());
        assertEquals(2, out.get(1).value().hits());
        assertNull(out.get(2).value(), "the end-of-input marker has no value");
        assertTrue(Control.isControl(out.get(2).headers()));
    }

    @Test
    void whenTheReaderSaysTrafficStoppedTheClockFollowsItsHeartbeats() {
        start(10, T0.plusSeconds(30));
        hit(1);
        hit(2);
        idle(T0.plusSeconds(12), "0/1");
        assertTrue(stats.isEmpty(), "the clock stays a second (idleAfter) behind the heartbeat: 12:00:11");
        idle(T0.plusSeconds(13), "0/1");
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(1, out.size(), "window 12:00:00-10 closes once the clock passes 12:00:12");
        assertEquals(2, out.get(0).hits());
    }

    @Test
    void withoutHeartbeatsNoWindowClosesHoweverLongTheWait() {
        start(10, T0.plusSeconds(2));
        hit(1);
        for (int i = 0; i < 120; i++) {
            pipeline.advanceWallClock(Duration.ofMillis(500)); // the broker or the reader is down: no heartbeat
        }
        assertTrue(stats.isEmpty(), "a stalled pipeline must not close windows that more requests may still reach");
    }

    @Test
    void everyUpstreamPartitionMustBeIdle() {
        start(10, T0.plusSeconds(30));
        hit(1);
        idle(T0.plusSeconds(20), "0/2");
        assertTrue(stats.isEmpty(), "upstream partition 1 may still have requests");
        idle(T0.plusSeconds(20), "1/2");
        assertEquals(1, stats.readValuesToList().size());
    }
    /** A request as the parser publishes it: stamped {@code second} after T0, read at {@code readAt}. */
    private void hitReadAt(long second, Instant readAt) {
        HttpRequest r = request("10.0.0.1", null, "GET", "/", 200, 1L, second);
        pipeline.send(new RequestBatch(readAt.toEpochMilli(), 0, List.of(r)));
    }

    @Test
    void anOldLogFollowedLiveClosesItsWindowsAsTheQuietGoesOnWhateverTheServersClock() {
        // The log's newest request is stamped a year before the reader read it: a historic log, or a server whose
        // clock is a year off. Only the quiet since then, on the reader's clock, moves the clock.
        Instant now = T0.plusSeconds(365L * 86_400);
        start(10, now);
        hitReadAt(1, now);
        idle(now.plusSeconds(5), "0/1");
        assertTrue(stats.isEmpty(), "5 s of quiet: the clock is at 12:00:05, window 12:00:00-10 is still open");
        idle(now.plusSeconds(13), "0/1");
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(1, out.size(), "13 s of quiet: the clock passed 12:00:12, the window closed");
        assertEquals(1, out.get(0).hits());
    }

    @Test
    void aMonitorStoppedForAnHourClosesItsWindowsOnTheFirstHeartbeatsAndSaysTheGapInOneRecord() {
        start(10, T0.plusSeconds(3601));
        hitReadAt(1, T0.plusSeconds(1));
        // The monitor was stopped here for an hour; the log stayed quiet. The reader's first heartbeats after it:
        idle(T0.plusSeconds(3601), "0/1");
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(1, out.size(), "the window before the stop is printed; the hour after it may still go on");
        assertEquals(1, out.get(0).hits());
        idle(T0.plusSeconds(3612), "0/1");
        out = stats.readValuesToList();
        assertEquals(2, out.size(), "the hour in one record, then the next window, live: " + out);
        StatsWindow gap = out.get(0);
        assertEquals(0, gap.hits());
        assertEquals("2018-05-09T12:00:10Z", gap.windowStart());
        assertEquals("2018-05-09T12:59:50Z", gap.windowEnd());
        assertEquals(358, gap.windows());
        assertEquals("2018-05-09T13:00:00Z", out.get(1).windowEnd());
        assertEquals(1, out.get(1).windows());
    }

    @Test
    void aShortPauseIsPrintedWindowByWindowAsALiveMonitorWouldHave() {
        start(10, T0.plusSeconds(71));
        hitReadAt(1, T0.plusSeconds(1));
        idle(T0.plusSeconds(71), "0/1");
        assertEquals(
                List.of(1L),
                stats.readValuesToList().stream().map(StatsWindow::hits).toList(),
                "the minute after the stop is held until the clock's next step shows it is over");
        idle(T0.plusSeconds(82), "0/1");
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(
                List.of(0L, 0L, 0L, 0L, 0L, 0L),
                out.stream().map(StatsWindow::hits).toList(),
                "clock at 12:01:21: windows up to 12:01:10, each in its own record");
        assertTrue(out.stream().allMatch(w -> w.windows() == 1));
    }

    @Test
    void aQuietLiveLogGetsAnEmptyRecordEveryInterval() {
        start(10, T0.plusSeconds(1));
        hitReadAt(1, T0.plusSeconds(1));
        for (int s = 2; s <= 43; s++) {
            pipeline.advanceWallClock(Duration.ofSeconds(1));
            idle(T0.plusSeconds(s), "0/1");
        }
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(
                List.of(1L, 0L, 0L, 0L),
                out.stream().map(StatsWindow::hits).toList(),
                "clock at 12:00:42: windows up to 12:00:40 are final, the empty ones each in its own record");
        assertTrue(out.stream().allMatch(w -> w.windows() == 1));
    }

    @Test
    void requestsTheParserTurnedAwayAsFromTheFutureAreCountedInTheWindowTheyArrivedIn() {
        start();
        hit(1);
        // A chunk whose only line was a dead letter for its time, and one with two such lines and a request.
        pipeline.send(new RequestBatch(T0.plusSeconds(2).toEpochMilli(), 1, List.of()));
        pipeline.send(new RequestBatch(T0.plusSeconds(3).toEpochMilli(), 1, List.of()));
        hit(15);
        hit(25);
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(List.of(2L, 0L), out.stream().map(StatsWindow::future).toList());
        assertEquals(List.of(1L, 1L), out.stream().map(StatsWindow::hits).toList(), "not requests");
    }

    @Test
    void requestsWithinMaxLatenessReviseTheirWindowOncePerStepAndLaterOnesAreLate() {
        start(new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1), Duration.ofSeconds(60)), T0);
        hit(1);
        hit(2);
        hit(13);
        StatsWindow first = stats.readValue();
        assertEquals(2, first.hits());
        assertEquals(0, first.revision());
        for (int i = 0; i < 50; i++) {
            send(request("10.0.0." + i, "bob", "POST", "/late/x", 500, 7L, 5)); // 8 s behind the clock
        }
        assertTrue(stats.isEmpty(), "no record per late request");
        hit(25);
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(2, out.size(), "window 10 and one revision of window 0: " + out);
        StatsWindow revised = out.get(1);
        assertEquals("2018-05-09T12:00:00Z", revised.windowStart());
        assertEquals(1, revised.revision());
        assertEquals(52, revised.hits(), "the full corrected totals");
        assertEquals(50L, revised.statusCodes().get("5xx"));
        assertEquals(Map.of("bob", 50L), revised.topUsers());
        assertEquals(50, revised.uniqueHosts(), "10.0.0.0 to 10.0.0.49, the first hits' 10.0.0.1 among them");
        assertEquals(2 + 350, revised.bytes());
        assertEquals(0, out.get(0).revision());
        assertEquals(8000, out.get(0).maxLatenessSeenMs(), "how out of order the log was");
        assertEquals(0, out.get(0).late());
        hit(80); // window 0 ended 70 s ago: past max lateness, dropped
        stats.readValuesToList();
        hit(6);
        hit(95);
        List<StatsWindow> after = stats.readValuesToList();
        assertTrue(after.stream().noneMatch(w -> w.revision() > 0), "window 0 is not revised any more: " + after);
        assertEquals(1, after.stream().mapToLong(StatsWindow::late).sum(), "the request 74 s late is late");
        assertEquals(
                74_000,
                after.stream().mapToLong(StatsWindow::maxLatenessSeenMs).max().orElseThrow());
    }

    @Test
    void aDashUserIsNotAUserAndOtherStatusesAreCountedApart() {
        start();
        send(request("h", null, "GET", "/", 101, null, 1));
        send(request("h", null, "GET", "/", 200, null, 2));
        send(request("h", null, "GET", "/", 999, null, 3));
        hit(13);
        StatsWindow w = stats.readValue();
        assertEquals(List.of(), w.mostActiveUsers());
        // The classes as everywhere (alert rules, hits-per-second, the page): 1xx is a class, 999 is other.
        assertEquals(
                List.of("2xx", "3xx", "4xx", "5xx", "1xx", "other"),
                List.copyOf(w.statusCodes().keySet()));
        assertEquals(1L, w.statusCodes().get("1xx"));
        assertEquals(1L, w.statusCodes().get("other"));
        assertEquals(1, w.uniqueHosts());
    }

    private static HttpRequest timed(String section, long micros, long second) {
        return TestRequest.at(T0.plusSeconds(second))
                .get(section + "/x")
                .responseTimeUs(micros)
                .build();
    }

    @Test
    void responseTimeQuantilesAreTheExactOnesWithinOnePercent() {
        start();
        java.util.Random random = new java.util.Random(7);
        long[] times = new long[5000];
        for (int i = 0; i < times.length; i++) {
            // a log-normal spread from under a millisecond to seconds, a few of them 0 (answered from a cache)
            times[i] = i % 500 == 0 ? 0 : (long) Math.exp(7 + 2 * random.nextGaussian());
        }
        // over several batches and partitions' worth of records, out of order within the window
        for (int from = 0; from < times.length; from += 250) {
            List<HttpRequest> batch = new java.util.ArrayList<>();
            for (int i = from; i < from + 250; i++) {
                batch.add(timed(i % 3 == 0 ? "/api" : "/img", times[i], 9 - (i % 10)));
            }
            pipeline.send(new RequestBatch(T0.toEpochMilli(), 0, batch));
        }
        send(request("10.0.0.2", null, "GET", "/", 200, 1L, 13)); // no time: not among the quantiles
        List<StatsWindow> out = stats.readValuesToList();
        assertEquals(1, out.size());
        StatsWindow.ResponseTimes rt = out.get(0).responseTimeMs();
        long[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        assertEquals(times.length, rt.count());
        assertWithin(exact(sorted, 0.50), rt.p50());
        assertWithin(exact(sorted, 0.90), rt.p90());
        assertWithin(exact(sorted, 0.99), rt.p99());
        assertWithin(sorted[sorted.length - 1] / 1000.0, rt.max());
        // the slowest sections by p99, within 5%
        long[] api = java.util.stream.IntStream.range(0, times.length)
                .filter(i -> i % 3 == 0)
                .mapToLong(i -> times[i])
                .sorted()
                .toArray();
        double apiP99 = exact(api, 0.99);
        double got = out.get(0).slowestSectionsMs().get("/api");
        assertTrue(Math.abs(got - apiP99) <= 0.05 * apiP99 + 0.001, got + " vs " + apiP99);
        assertEquals(
                java.util.Set.of("/api", "/img"), out.get(0).slowestSectionsMs().keySet());
    }

    @Test
    void aWindowWithoutResponseTimesHasNoQuantilesAndAWindowWithLinesThatWereNotRequestsSaysHowMany() {
        start();
        hit(1);
        pipeline.send(new RequestBatch(T0.plusSeconds(2).toEpochMilli(), 0, List.of(), 7));
        hit(3);
        hit(13);
        StatsWindow w = stats.readValue();
        assertNull(w.responseTimeMs());
        assertNull(w.slowestSectionsMs());
        assertEquals(7, w.deadLetters());
        assertEquals(2, w.hits());
        String json =
                new String(JsonSerde.of(StatsWindow.class).serializer().serialize("t", w), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"dead_letters\":7") && !json.contains("response_time_ms"), json);
    }

    /** The {@code ceil(q * n)}-th smallest, in milliseconds. */
    private static double exact(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1000.0;
    }

    private static void assertWithin(double exact, double sketched) {
        assertTrue(Math.abs(sketched - exact) <= 0.01 * exact + 0.001, "sketch " + sketched + " vs exact " + exact);
    }
}
