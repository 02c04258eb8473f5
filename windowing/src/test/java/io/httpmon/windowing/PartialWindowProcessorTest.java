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
        final PartialWindowProcessor processor = new PartialWindowProcessor(TEN_SECONDS);
        final int partition;
        final int partitions;

        StageOne(int partition, int partitions) {
            this.partition = partition;
            this.partitions = partitions;
            context = new MockProcessorContext<>(
                    new Properties(), new TaskId(0, partition), new File(stateDir, "p" + partition));
            context.setCurrentSystemTimeMs(0);
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(TEN_SECONDS.counterStore()),
                                    CounterKey.SERDE,
                                    Serdes.Long())
                            .withLoggingDisabled()
                            .build());
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(TEN_SECONDS.clockStore()),
                                    Serdes.String(),
                                    JsonSerde.of(ClockState.class))
                            .withLoggingDisabled()
                            .build());
            add(
                    context,
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(TEN_SECONDS.distinctStore()),
                                    Serdes.Bytes(),
                                    Serdes.ByteArray())
                            .withLoggingDisabled()
                            .build());
            processor.init(context);
        }

        /** Requests at the given seconds, one batch, read at {@code readAt} ms. */
        void requests(long readAt, String section, long... seconds) {
            List<HttpRequest> requests = new ArrayList<>();
            for (long s : seconds) {
                requests.add(request(s, section, "10.0.0." + partition));
            }
            RequestBatch batch = new RequestBatch(readAt, 0, requests);
            Headers headers = new RecordHeaders();
            headers.add(ChunkHeaders.PARTITION, new PartitionOf(partition, partitions).bytes());
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
        assertEquals(List.of("10.0.0.1"), w.distinct());
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
    void aPartitionWithoutRequestsSaysItIsEmptyOnceEveryUpstreamIsIdle() {
        StageOne task = new StageOne(2, 3);
        task.control(Control.idle(5_000).from(new PartitionOf(0, 1)));
        List<WindowPartial> sent = task.sent();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).empty());
        assertNull(sent.get(0).windowStart());
        assertEquals(3, sent.get(0).partitions());
        task.control(Control.idle(6_000).from(new PartitionOf(0, 1)));
        assertEquals(List.of(), task.sent(), "said once, not once a heartbeat");
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
        Recorded sink = new Recorded();
        MergeProcessor merge = new MergeProcessor(TEN_SECONDS, sink, List.of());
        merge.init(mergeContext);
        Runnable deliver = () -> tasks.forEach(t ->
                t.sent().forEach(p -> merge.process(new Record<>(PartialWindowProcessor.MERGE_KEY, p, 0))));

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
}
