package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.PartitionOf;
import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.model.TimedBatch;
import io.httpmon.common.testing.TestRequest;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage one alone, driven through Kafka's {@link MockProcessorContext} (in-memory stores), and three stage-one tasks
 * wired to the merging task by plain calls: several partitions without a broker.
 */
class PartialWindowProcessorTest {

    /** Counts each request's section and its host as distinct: a counter of the test's own, not the statistics'. */
    static final Dimension<String> SECTION = Dimension.top('s', "section");

    static final WindowCounter SECTIONS = new WindowCounter() {
        @Override
        public Set<Column> columns() {
            return Set.of(Column.SECTION, Column.HOST);
        }

        @Override
        public List<Dimension<?>> dimensions() {
            return List.of(SECTION);
        }

        @Override
        public boolean countsDistinct() {
            return true;
        }

        @Override
        public void count(HttpRequest request, Tally tally) {
            tally.item(SECTION, request.section());
            tally.sum(1000);
            tally.distinct(request.host());
        }
    };

    /** Windows of 10 s, grace 2 s. */
    static final Aggregation TEN_SECONDS = new Aggregation(
            "t", new WindowSpec(10_000, 2_000, Duration.ofSeconds(1)), SECTIONS, Aggregation.LateRequests.IGNORED);

    @TempDir
    File stateDir;

    /** One stage-one task of partition {@code partition}, with its stores. */
    private final class StageOne {
        final MockProcessorContext<String, WindowPartial> context;
        final PartialWindowProcessor processor;
        final int partition;
        final int partitions;

        StageOne(int partition, int partitions) {
            this(partition, partitions, TEN_SECONDS);
        }

        StageOne(int partition, int partitions, Aggregation aggregation) {
            this.processor = new PartialWindowProcessor(aggregation);
            this.partition = partition;
            this.partitions = partitions;
            context = new MockProcessorContext<>(
                    new Properties(), new TaskId(0, partition), new File(stateDir, "p" + partition));
            context.setCurrentSystemTimeMs(0);
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(aggregation.counterStore()),
                                    CounterKey.SERDE,
                                    Serdes.Long())
                            .withLoggingDisabled()
                            .build());
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(aggregation.clockStore()),
                                    Serdes.String(),
                                    JsonSerde.of(ClockState.class))
                            .withLoggingDisabled()
                            .build());
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(aggregation.distinctStore()),
                                    Serdes.Bytes(),
                                    Serdes.ByteArray())
                            .withLoggingDisabled()
                            .build());
            processor.init(context);
        }

        /** Requests at the given seconds, one batch, read at {@code readAt} ms. */
        void requests(long readAt, String section, long... seconds) {
            requestsOf("", readAt, section, seconds);
        }

        /** As {@link #requests}, from source {@code source}. */
        void requestsOf(String source, long readAt, String section, long... seconds) {
            List<HttpRequest> requests = new ArrayList<>();
            for (long s : seconds) {
                requests.add(request(s, section, "10.0.0." + partition));
            }
            RequestBatch batch = new RequestBatch(readAt, 0, requests);
            Headers headers = new RecordHeaders();
            headers.add(ChunkHeaders.PARTITION, new PartitionOf(partition, partitions).bytes());
            if (!source.isEmpty()) {
                headers.add(ChunkHeaders.SOURCE, source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            processor.process(new Record<byte[], TimedBatch>(null, batch, batch.newestTime(), headers));
        }

        void control(Control control) {
            Headers headers = control.headers();
            headers.add(ChunkHeaders.PARTITION, new PartitionOf(partition, partitions).bytes());
            processor.process(new Record<byte[], TimedBatch>(null, null, control.time(), headers));
        }

        /** The partials of windows sent since the last call (progress-only ones left out). */
        List<WindowPartial> windows() {
            return sent().stream().filter(p -> p.windowStart() != null).toList();
        }

        /** The partials sent since the last call. */
        List<WindowPartial> sent() {
            List<WindowPartial> partials = new ArrayList<>();
            context.forwarded().forEach(f -> partials.add(f.record().value()));
            context.resetForwards();
            return partials;
        }
    }

    private static void add(MockProcessorContext<?, ?> context, StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private static HttpRequest request(long second, String section, String host) {
        return TestRequest.at(second * 1000)
                .host(host)
                .get(section + "/x")
                .bytes(10L)
                .build();
    }

    @Test
    void aWindowIsSentWhenTheClockPassesItsEndPlusGraceWithWhatTheCounterCounted() {
        StageOne task = new StageOne(1, 3);
        task.requests(0, "/a", 1, 2, 3);
        task.requests(0, "/b", 9);
        assertEquals(List.of(), task.windows(), "window 0-10 s is open until the clock passes 12 s");
        task.requests(0, "/a", 13);
        List<WindowPartial> sent = task.windows();
        assertEquals(1, sent.size(), "one partial: " + sent);
        WindowPartial w = sent.get(0);
        assertEquals(1, w.sourcePartition());
        assertEquals(3, w.partitions(), "partition 1 of 3, as the records say");
        assertEquals(0L, w.windowStart());
        assertEquals(10_000, w.closedUpTo());
        assertEquals(4, w.hits());
        assertEquals(4000, w.sum(), "the counter's sum");
        assertEquals(Map.of("section", Map.of("/a", 3L, "/b", 1L)), w.top());
        assertEquals(1, PartialMerger.distinctCount(w));
        assertEquals("[" + ItemHash.of("10.0.0.1") + "]", w.distinctItems().toString(), "the host, as its hash");
    }

    @Test
    void aRequestForAClosedWindowIsLateAndReportedWithTheNextPartial() {
        StageOne task = new StageOne(0, 1);
        task.requests(0, "/a", 1, 13);
        task.sent();
        task.requests(0, "/a", 5); // 8 s behind the clock, window 0 is gone
        task.requests(0, "/a", 25);
        List<WindowPartial> sent = task.windows();
        assertEquals(10_000L, sent.get(0).windowStart());
        assertEquals(1, sent.get(0).hits(), "the late request is not counted in any window");
        assertEquals(1, sent.get(0).late());
        assertEquals(8_000, sent.get(0).lateness());
    }

    @Test
    void idleHeartbeatsOfEveryUpstreamPartitionMoveTheClockOnByTheQuiet() {
        StageOne task = new StageOne(0, 1);
        task.requests(100_000, "/a", 1); // read at 100 s on the reader's clock
        task.control(Control.idle(105_000).from(new PartitionOf(0, 2)));
        assertEquals(List.of(), task.windows(), "upstream partition 1 has not said it is idle");
        task.control(Control.idle(115_000).from(new PartitionOf(1, 2)));
        // quiet for 5 s (the older heartbeat) less idleAfter 1 s: clock at 5 s, not past 12 s
        assertEquals(List.of(), task.windows());
        task.control(Control.idle(115_000).from(new PartitionOf(0, 2)));
        List<WindowPartial> sent = task.windows();
        assertEquals(1, sent.size(), "quiet for 15 s: the clock is at 15 s and window 0 closes");
        assertEquals(1, sent.get(0).hits());
    }

    @Test
    void aPartitionWithoutRequestsSaysItIsEmptyAtEachRoundOfHeartbeatsAsOfItsOldest() {
        StageOne task = new StageOne(2, 3);
        task.control(Control.idle(5_000).from(new PartitionOf(0, 2)));
        assertEquals(List.of(), task.sent(), "upstream partition 1 may still send a request here");
        task.control(Control.idle(5_200).from(new PartitionOf(1, 2)));
        List<WindowPartial> sent = task.sent();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).empty());
        assertNull(sent.get(0).windowStart());
        assertEquals(3, sent.get(0).partitions());
        assertEquals(
                Map.of("", 5_000L),
                sent.get(0).readUpTo(),
                "what upstream partition 0 read after 5 s may still be on its way");
        task.control(Control.idle(5_200).from(new PartitionOf(1, 2)));
        assertEquals(List.of(), task.sent(), "nothing new: said once a round, not once a heartbeat");
        task.control(Control.idle(6_000).from(new PartitionOf(0, 2)));
        sent = task.sent();
        assertEquals(1, sent.size(), "the next round");
        assertEquals(Map.of("", 5_200L), sent.get(0).readUpTo());
        task.requests(6_500, "/a", 1);
        task.control(Control.idle(7_000).from(new PartitionOf(0, 2)));
        task.control(Control.idle(7_000).from(new PartitionOf(1, 2)));
        assertTrue(task.sent().stream().noneMatch(WindowPartial::empty), "it has had a request now");
    }

    @Test
    void anEmptyPartitionSpeaksForEachSourceWhateverItsReadersClock() {
        StageOne task = new StageOne(2, 3);
        for (int upstream = 0; upstream < 2; upstream++) {
            task.control(Control.idle(70_000).by("ahead").from(new PartitionOf(upstream, 2)));
        }
        assertEquals(Map.of("ahead", 70_000L), task.sent().get(0).readUpTo());
        // A second web server whose reader's clock is a minute behind: its round is said too.
        for (int upstream = 0; upstream < 2; upstream++) {
            task.control(Control.idle(10_000).by("behind").from(new PartitionOf(upstream, 2)));
        }
        List<WindowPartial> sent = task.sent();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).empty());
        assertEquals(Map.of("ahead", 70_000L, "behind", 10_000L), sent.get(0).readUpTo());
    }

    @Test
    void theEndOfInputOfEveryUpstreamPartitionClosesEveryWindow() {
        StageOne task = new StageOne(0, 1);
        task.requests(0, "/a", 1, 11);
        task.sent();
        task.control(Control.endOfInput(0).from(new PartitionOf(0, 2)));
        assertEquals(List.of(), task.sent(), "upstream partition 1 may still send");
        task.control(Control.endOfInput(0).from(new PartitionOf(1, 2)));
        List<WindowPartial> sent = task.sent();
        assertEquals(
                java.util.Arrays.asList(0L, 10_000L, null),
                sent.stream().map(WindowPartial::windowStart).toList());
        assertTrue(sent.get(2).endOfInput());
        assertEquals(20_000, sent.get(2).closedUpTo());
    }

    /** What the merging task handed over, as "start:hits" and "quiet:from-to". */
    private static final class Recorded implements WindowSink {
        final List<String> seen = new ArrayList<>();
        final List<WindowPartial> windows = new ArrayList<>();

        @Override
        public void init(Context context) {}

        @Override
        public void onWindow(long windowStart, WindowPartial merged, Stragglers stragglers) {
            seen.add(windowStart / 1000 + ":" + merged.hits());
            windows.add(merged);
        }

        @Override
        public void onQuiet(long from, long to, Stragglers stragglers) {
            seen.add("quiet:" + from / 1000 + "-" + to / 1000);
        }

        @Override
        public void onRevision(long windowStart, WindowPartial merged, int revision) {
            seen.add("revision:" + windowStart / 1000);
        }

        @Override
        public void onEndOfInput(long upTo) {
            seen.add("end:" + upTo / 1000);
        }
    }

    @Test
    void threePartitionsMergeIntoOneWindowAndAnEmptyOneHoldsNothingBack() {
        List<StageOne> tasks = List.of(new StageOne(0, 3), new StageOne(1, 3), new StageOne(2, 3));
        Recorded sink = new Recorded();
        Runnable deliver = merging(tasks, sink);

        tasks.get(0).requests(1_000, "/a", 1, 2);
        tasks.get(1).requests(1_000, "/b", 3, 14); // partition 2 gets no request at all
        tasks.get(0).requests(2_000, "/a", 15);
        deliver.run();
        assertEquals(List.of(), sink.seen, "partition 2 has said nothing yet: window 0 may not be whole");

        for (StageOne task : tasks) {
            task.control(Control.idle(3_000).from(PartitionOf.ONLY));
        }
        deliver.run();
        assertEquals(List.of("0:3"), sink.seen, "partitions 0 and 1 closed window 0, partition 2 said it is empty");
        WindowPartial window = sink.windows.get(0);
        assertEquals(Map.of("/a", 2L, "/b", 1L), window.top().get("section"));
        assertEquals(3000, window.sum());
        assertEquals(2, PartialMerger.distinctCount(window), "hosts 10.0.0.0 and 10.0.0.1");

        for (StageOne task : tasks) {
            task.control(Control.endOfInput(4_000).from(PartitionOf.ONLY));
        }
        deliver.run();
        assertEquals(List.of("0:3", "10:2", "end:20"), sink.seen);
    }

    /**
     * A cold start: every partition said it is empty while the log was quiet; then the reader reads lines for all
     * three, and partition 1's parser is slow (it joined later): partitions 0 and 2 close window 0 on their own
     * requests long before partition 1's arrive. The window is handed over once, whole, when partition 1 has had
     * its say; not early with two thirds of its requests and revised later.
     */
    @Test
    void aColdStartWithASlowParserHandsTheFirstWindowOverWholeTheFirstTime() {
        List<StageOne> tasks = List.of(new StageOne(0, 3), new StageOne(1, 3), new StageOne(2, 3));
        Recorded sink = new Recorded();
        Runnable deliver = merging(tasks, sink);
        for (StageOne task : tasks) {
            for (int upstream = 0; upstream < 3; upstream++) {
                task.control(Control.idle(500).from(new PartitionOf(upstream, 3)));
            }
        }
        deliver.run();
        assertEquals(List.of(), sink.seen, "no request anywhere yet");

        tasks.get(0).requests(1_000, "/a", 1, 2);
        tasks.get(2).requests(1_000, "/c", 3);
        tasks.get(0).requests(9_000, "/a", 16, 17);
        tasks.get(2).requests(9_000, "/c", 18);
        deliver.run();
        assertEquals(
                List.of(),
                sink.seen,
                "partition 1 said it was empty as of 0.5 s; what was read since may still be on its way there");

        tasks.get(1).requests(1_000, "/b", 4, 5);
        tasks.get(1).requests(9_000, "/b", 19);
        deliver.run();
        assertEquals(List.of("0:5"), sink.seen, "window 0 with every partition's requests, once");
        assertEquals(
                Map.of("/a", 2L, "/b", 2L, "/c", 1L), sink.windows.get(0).top().get("section"));

        for (StageOne task : tasks) {
            for (int upstream = 0; upstream < 3; upstream++) {
                task.control(Control.endOfInput(10_000).from(new PartitionOf(upstream, 3)));
            }
        }
        deliver.run();
        assertEquals(List.of("0:5", "10:4", "end:20"), sink.seen, "no revision: nothing came late");
    }

    /**
     * A live log with fewer chunks than partitions: partition 2 never gets a request, and says so at each round of
     * heartbeats; the windows the others close on their idle clocks are handed over as the quiet goes on.
     */
    @Test
    void aPartitionThatStaysEmptyHoldsBackNoWindowClosedOnTheIdleClocks() {
        List<StageOne> tasks = List.of(new StageOne(0, 3), new StageOne(1, 3), new StageOne(2, 3));
        Recorded sink = new Recorded();
        Runnable deliver = merging(tasks, sink);
        tasks.get(0).requests(1_000, "/a", 1);
        tasks.get(1).requests(1_000, "/b", 2);
        for (long at = 2_000; at <= 30_000; at += 1_000) {
            for (StageOne task : tasks) {
                for (int upstream = 0; upstream < 3; upstream++) {
                    task.control(Control.idle(at).from(new PartitionOf(upstream, 3)));
                }
            }
            deliver.run();
        }
        assertEquals("0:2", sink.seen.get(0), "window 0 closed on the idle clocks: " + sink.seen);
        assertTrue(sink.seen.size() >= 2, "and the quiet after it: " + sink.seen);
    }

    /** A merging task fed by {@code tasks}; the returned action delivers what they sent since to it. */
    private Runnable merging(List<StageOne> tasks, Recorded sink) {
        MockProcessorContext<String, Object> mergeContext =
                new MockProcessorContext<>(new Properties(), new TaskId(1, 0), new File(stateDir, "merge"));
        add(
                mergeContext,
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(TEN_SECONDS.mergeStore()),
                                Serdes.String(),
                                JsonSerde.of(MergeState.class))
                        .withLoggingDisabled()
                        .build());
        add(
                mergeContext,
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(TEN_SECONDS.pendingStore()),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withLoggingDisabled()
                        .build());
        MergeProcessor merge = new MergeProcessor(TEN_SECONDS, sink, List.of());
        merge.init(mergeContext);
        return () -> tasks.forEach(t ->
                t.sent().forEach(p -> merge.process(new Record<>(PartialWindowProcessor.MERGE_KEY, p, 0))));
    }

    // --- several sources (readers) into one pipeline ---

    /** Windows of 10 s, grace 2 s, max lateness 300 s (revisions), a source silent for 60 s is waited for no more. */
    static final Aggregation REVISING = new Aggregation(
            "r",
            new WindowSpec(10_000, 2_000, 300_000, Duration.ofSeconds(1)),
            SECTIONS,
            Aggregation.LateRequests.IGNORED);

    private static long[] seconds(long from, long to) {
        return java.util.stream.LongStream.range(from, to).toArray();
    }

    private static long hits(List<WindowPartial> partials) {
        return partials.stream().mapToLong(WindowPartial::hits).sum();
    }

    private static long late(List<WindowPartial> partials) {
        return partials.stream().mapToLong(WindowPartial::late).sum();
    }

    /** The case: server B's short log ends first while server A still publishes the same 100 s and more. */
    @Test
    void oneSourcesEndDoesNotCloseTheWindowsAnotherStillFills() {
        StageOne task = new StageOne(0, 1);
        PartitionOf upstream = new PartitionOf(0, 1);
        task.control(Control.hello(0).by("B").from(upstream));
        task.control(Control.hello(0).by("A").from(upstream));
        task.requestsOf("B", 1_000, "/b", seconds(0, 100));
        task.requestsOf("A", 1_000, "/a", seconds(0, 20));
        task.control(Control.endOfInput(2_000).by("B").from(upstream));
        List<WindowPartial> sent = new ArrayList<>(task.sent());
        assertTrue(
                sent.stream().allMatch(p -> p.closedUpTo() <= 20_000 && !p.endOfInput()),
                "B's end closes nothing A is still at: " + sent);
        task.requestsOf("A", 3_000, "/a", seconds(20, 300));
        task.control(Control.endOfInput(4_000).by("A").from(upstream));
        sent.addAll(task.sent());
        assertEquals(100 + 300, hits(sent), "every request of both sources counted in its window");
        assertEquals(0, late(sent), "none late");
        assertTrue(sent.get(sent.size() - 1).endOfInput(), "the end comes once both have ended");
        assertEquals(300_000, sent.get(sent.size() - 1).closedUpTo());
        WindowPartial window50 = sent.stream()
                .filter(p -> Long.valueOf(50_000).equals(p.windowStart()))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("/a", 10L, "/b", 10L), window50.top().get("section"), "window 50-60 s has both");
    }

    @Test
    void aSourceThatEndedAndStartsAgainHoldsTimeAgain() {
        StageOne task = new StageOne(0, 1);
        PartitionOf upstream = new PartitionOf(0, 1);
        task.control(Control.hello(0).by("a").from(upstream));
        task.control(Control.hello(0).by("b").from(upstream));
        task.requestsOf("a", 1_000, "/a", seconds(0, 10));
        task.requestsOf("b", 1_000, "/b", seconds(0, 10));
        task.control(Control.endOfInput(2_000).by("a").from(upstream)); // a's replay ends; b goes on
        task.control(Control.hello(3_000).by("a").from(upstream)); // a's reader runs again, from second 20 on
        task.requestsOf("b", 4_000, "/b", seconds(10, 60));
        assertEquals(List.of(), task.windows(), "window 0-10 s waits for a again: " + task.sent());
        task.requestsOf("a", 4_000, "/a", seconds(20, 60));
        List<WindowPartial> sent = task.windows();
        assertEquals(0, late(sent));
        assertEquals(
                List.of(0L, 10_000L, 20_000L, 30_000L, 40_000L),
                sent.stream().map(WindowPartial::windowStart).toList());
    }

    /**
     * A reader killed mid-way and run anew says hello again through every upstream partition, then ends through
     * each; the parsers forwarding them are independent, so its end through upstream partition 0 can come here
     * before its hello through partition 1 (seen in FaultSuiteIT: the pipeline then never ended).
     */
    @Test
    void aRestartedReadersHelloThroughOnePartitionDoesNotUndoItsEndThroughAnother() {
        StageOne task = new StageOne(0, 1);
        PartitionOf first = new PartitionOf(0, 2);
        PartitionOf second = new PartitionOf(1, 2);
        task.control(Control.hello(0).by("a").from(first));
        task.control(Control.hello(0).by("a").from(second));
        task.requestsOf("a", 1_000, "/a", seconds(0, 30));
        // killed; its new run resumes after second 30 and ends at second 60
        task.control(Control.hello(2_000).by("a").from(first));
        task.requestsOf("a", 2_000, "/a", seconds(30, 60));
        task.control(Control.endOfInput(3_000).by("a").from(first));
        task.control(Control.hello(2_000).by("a").from(second)); // the other parser was slower
        task.control(Control.endOfInput(3_000).by("a").from(second));
        List<WindowPartial> sent = task.sent();
        assertTrue(sent.get(sent.size() - 1).endOfInput(), "the end of input comes: " + sent);
        assertEquals(60, hits(sent), "every request counted once");
        assertEquals(0, late(sent), "none late");
    }

    @Test
    void theSlowestSourceSetsTheClockSoAServerBehindLosesNothing() {
        StageOne task = new StageOne(0, 1);
        PartitionOf upstream = new PartitionOf(0, 1);
        task.control(Control.hello(0).by("fast").from(upstream)); // each reader says hello before its first line
        task.control(Control.hello(0).by("slow").from(upstream));
        task.requestsOf("fast", 1_000, "/f", seconds(30, 60)); // its clock 30 s ahead of the other's
        task.requestsOf("slow", 1_000, "/s", seconds(0, 30));
        task.requestsOf("fast", 2_000, "/f", seconds(60, 90));
        task.requestsOf("slow", 2_000, "/s", seconds(30, 60));
        List<WindowPartial> sent = task.windows();
        assertEquals(0, late(sent), "the slow server's requests are not late: " + sent);
        assertEquals(
                List.of(0L, 10_000L, 20_000L, 30_000L, 40_000L),
                sent.stream().map(WindowPartial::windowStart).toList(),
                "windows close as the slower clock (59 s) passes their end plus grace");
        assertEquals(Map.of("/f", 10L, "/s", 10L), sent.get(3).top().get("section"));
        task.control(Control.endOfInput(3_000).by("fast").from(upstream));
        task.control(Control.endOfInput(3_000).by("slow").from(upstream));
        assertEquals(60 + 60, hits(sent) + hits(task.windows()));
    }

    @Test
    void aSourceThatSendsNothingDoesNotStopTime() {
        StageOne task = new StageOne(0, 1);
        PartitionOf upstream = new PartitionOf(0, 1);
        task.control(Control.hello(0).by("quiet").from(upstream)); // then never a line, never a heartbeat
        task.requestsOf("busy", 1_000, "/a", seconds(0, 30));
        assertEquals(List.of(), task.windows(), "for now the quiet source may still send old lines");
        task.requestsOf("busy", 61_000, "/a", seconds(30, 40)); // 61 s later on the readers' clocks
        assertEquals(
                List.of(0L, 10_000L, 20_000L),
                task.windows().stream().map(WindowPartial::windowStart).toList(),
                "silent for over 60 s: time goes on without it");

        StageOne idle = new StageOne(0, 1);
        idle.control(Control.hello(0).by("idle").from(upstream));
        idle.requestsOf("busy", 1_000, "/a", seconds(0, 30));
        idle.control(Control.idle(2_000).by("idle").from(upstream)); // idle, and had no request here
        assertEquals(
                List.of(0L, 10_000L),
                idle.windows().stream().map(WindowPartial::windowStart).toList(),
                "an idle source without requests here holds nothing back");
    }

    /**
     * A server's reader stopped for twice max lateness while another went on: its windows closed without it; when
     * it comes back its backlog is counted in them, as one revision per window.
     */
    @Test
    void aSourceBackFromTwiceMaxLatenessHasItsBacklogCountedAsRevisions() {
        StageOne task = new StageOne(0, 1, REVISING);
        task.requestsOf("a", 0, "/a", seconds(0, 10));
        task.requestsOf("b", 0, "/b", seconds(0, 10));
        for (long t = 10; t < 700; t += 10) { // b is down; a goes on, 10 s of log per 10 s of reader clock
            task.requestsOf("a", t * 1000, "/a", seconds(t, t + 10));
        }
        List<WindowPartial> before = task.windows();
        assertTrue(before.size() >= 60, "a's windows closed without b: " + before.size());
        assertEquals(0, late(before));
        // b comes back with its backlog: 10 s .. 700 s, read at once
        task.requestsOf("b", 700_000, "/b", seconds(10, 700));
        task.requestsOf("a", 700_000, "/a", seconds(700, 720));
        task.requestsOf("b", 701_000, "/b", seconds(700, 720)); // both live again: the clock steps on
        List<WindowPartial> after = task.windows();
        assertEquals(0, late(after), "nothing of b's backlog is late");
        Map<Long, Long> revisedHits = new java.util.TreeMap<>();
        after.forEach(p -> revisedHits.merge(p.windowStart(), 1L, Long::sum));
        assertTrue(revisedHits.values().stream().allMatch(n -> n == 1), "one partial per window: " + revisedHits);
        WindowPartial window300 = after.stream()
                .filter(p -> Long.valueOf(300_000).equals(p.windowStart()))
                .findFirst()
                .orElseThrow();
        assertEquals(20, window300.hits(), "window 300-310 s now has a's and b's requests");
        assertEquals(Map.of("/a", 10L, "/b", 10L), window300.top().get("section"));
    }
}
