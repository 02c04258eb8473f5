package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.JsonSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage two alone, fed partials of three partitions as stage one would send them. */
class MergeProcessorTest {

    /** Windows of 10 s, grace 2 s; {@link #revising} keeps them for revisions up to 32 s after their end. */
    private static WindowSpec spec = new WindowSpec(10_000, 2_000, Duration.ofSeconds(1));

    /** What the merger handed over, as "start:hits:late" (a span without data "quiet:from-to:late"; "end:upTo"). */
    private static final List<String> seen = new ArrayList<>();

    private static final List<WindowPartial> merged = new ArrayList<>();

    static final class Recording implements WindowSink {
        @Override
        public void init(Context context) {}

        @Override
        public void onWindow(long windowStart, WindowPartial partial, Stragglers stragglers) {
            seen.add(windowStart + ":" + partial.hits() + ":" + stragglers.late());
            merged.add(partial);
        }

        @Override
        public void onRevision(long windowStart, WindowPartial partial, int revision) {
            seen.add("revision " + revision + ":" + windowStart + ":" + partial.hits());
        }

        @Override
        public void onQuiet(long from, long to, Stragglers stragglers) {
            seen.add("quiet:" + from + "-" + to + ":" + stragglers.late());
        }

        @Override
        public void onEndOfInput(long upTo) {
            seen.add("end:" + upTo);
        }
    }

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, WindowPartial> partials;

    @BeforeEach
    void start() {
        start(new WindowSpec(10_000, 2_000, Duration.ofSeconds(1)));
    }

    private void revising() {
        driver.close();
        start(new WindowSpec(10_000, 2_000, 32_000, Duration.ofSeconds(1)));
    }

    private void start(WindowSpec windows) {
        spec = windows;
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("m-merge"), Serdes.String(), JsonSerde.of(MergeState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("m-pending"), Serdes.Bytes(), Serdes.ByteArray()));
        builder.stream("partials", Consumed.with(Serdes.String(), JsonSerde.of(WindowPartial.class)))
                .process(
                        () -> new MergeProcessor(
                                new Aggregation("m", spec, WindowCounter.HITS, Aggregation.LateRequests.IGNORED),
                                new Recording(),
                                List.of()),
                        "m-merge",
                        "m-pending");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "merge-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        partials = driver.createInputTopic("partials", Serdes.String().serializer(), JsonSerde.of(WindowPartial.class));
        seen.clear();
        merged.clear();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static WindowPartial data(int partition, long window, long hits, List<String> hosts, long late) {
        return new WindowPartial(
                partition,
                3,
                window,
                window + 10_000,
                false,
                false,
                late,
                0,
                0,
                hits,
                hits * 10,
                Map.of("section", Map.of("/a", hits)),
                hosts,
                null,
                0,
                null,
                null,
                null);
    }

    private static WindowPartial progress(int partition, long closedUpTo, boolean endOfInput) {
        return WindowPartial.progress(partition, 3, closedUpTo, endOfInput, false, Stragglers.NONE, null);
    }

    private void send(WindowPartial partial) {
        partials.pipeInput("all", partial);
    }

    @Test
    void aWindowIsFinalOnlyWhenEveryPartitionHasClosedIt() {
        send(data(0, 0, 3, List.of("h1", "h2"), 0));
        send(data(1, 0, 4, List.of("h2", "h3"), 1));
        assertEquals(List.of(), seen, "partition 2 has not closed window 0 yet");
        send(progress(2, 10_000, false));
        assertEquals(List.of("0:7:1"), seen);
        WindowPartial window = merged.get(0);
        assertEquals(70, window.sum());
        assertEquals(Map.of("/a", 7L), window.top().get("section"));
        assertEquals(3, PartialMerger.distinctCount(window), "hosts are a union, not a sum");
    }

    @Test
    void windowsWithoutDataInBetweenAreHandedOverAsOneSpan() {
        send(data(0, 0, 1, List.of("h"), 0));
        send(progress(1, 30_000, false));
        send(progress(2, 30_000, false));
        send(progress(0, 40_000, false));
        assertEquals(List.of("0:1:0", "quiet:10000-30000:0"), seen);
    }

    @Test
    void aGapOfFiftyYearsIsOneSpanBetweenTheWindowsAroundIt() {
        long later = 50L * 365 * 86_400_000;
        send(data(0, 0, 1, List.of("h"), 0));
        send(data(1, later, 2, List.of("h"), 3));
        send(progress(0, later + 10_000, false));
        send(progress(1, later + 10_000, false));
        send(progress(2, later + 10_000, false));
        assertEquals(
                List.of("0:1:3", "quiet:10000-" + later + ":0", later + ":2:0"),
                seen,
                "the late requests reported so far go with the first thing handed over after them");
    }

    @Test
    void endOfInputFromEveryPartitionFlushesEverything() {
        send(data(0, 0, 1, List.of("h"), 0));
        send(data(1, 20_000, 2, List.of("h"), 0));
        send(progress(0, 10_000, true));
        send(progress(1, 30_000, true));
        assertEquals(List.of(), seen);
        send(progress(2, Long.MIN_VALUE, true));
        assertEquals(List.of("0:1:0", "quiet:10000-20000:0", "20000:2:0", "end:30000"), seen);
    }

    @Test
    void aPartitionThatSendsAWindowAgainRevisesItOnceWhenProgressMovesOnUntilMaxLatenessHasPassed() {
        revising();
        send(data(0, 0, 3, List.of("h"), 0));
        send(data(1, 0, 4, List.of("h"), 0));
        send(progress(2, 10_000, false));
        assertEquals(List.of("0:7:0"), seen);
        send(data(0, 0, 5, List.of("h"), 0)); // partition 0 counted 2 late requests in window 0: its full count
        send(data(1, 0, 6, List.of("h"), 0));
        assertEquals(List.of("0:7:0"), seen, "no revision per partial: when the progress moves on");
        send(progress(0, 20_000, false));
        send(progress(1, 20_000, false));
        send(progress(2, 20_000, false));
        assertEquals(
                List.of("0:7:0", "quiet:10000-20000:0", "revision 1:0:11"),
                seen,
                "partition 0's 5 and partition 1's 6 replace their 3 and 4");
        send(data(2, 0, 1, List.of("h"), 0)); // partition 2 had nothing in window 0, now one late request
        progressEverywhere(30_000);
        assertEquals("revision 2:0:12", seen.get(seen.size() - 1), "still within max lateness everywhere");
        progressEverywhere(60_000); // window 0 ended 50 s ago everywhere: past max lateness (32 s), dropped
        send(data(0, 0, 9, List.of("h"), 0));
        progressEverywhere(70_000);
        assertEquals(
                2,
                seen.stream().filter(l -> l.startsWith("revision")).count(),
                "a window past max lateness is never revised again: " + seen);
    }

    @Test
    void aPartitionWithoutRequestsThatSaysItIsEmptyHoldsNoWindowBack() {
        send(data(0, 0, 3, List.of("h"), 0));
        send(progress(1, 10_000, false));
        assertEquals(List.of(), seen, "partition 2 has said nothing yet");
        send(WindowPartial.progress(2, 3, Long.MIN_VALUE, false, true, Stragglers.NONE, null));
        assertEquals(List.of("0:3:0"), seen, "an empty partition does not hold the window back");
        send(data(2, 20_000, 1, List.of("h"), 0));
        send(progress(0, 30_000, false));
        send(progress(1, 30_000, false));
        assertEquals(
                List.of("0:3:0", "quiet:10000-20000:0", "20000:1:0"),
                seen,
                "once it has data, its progress counts like any other's");
        send(progress(0, 40_000, false));
        send(progress(1, 40_000, false));
        assertEquals(3, seen.size(), "partition 2 has not closed past 30 s yet: " + seen);
    }

    @Test
    void theNumberOfPartitionsComesFromThePartials() {
        send(new WindowPartial(
                0, 1, 0L, 10_000, false, false, 0, 0, 0, 2, 0, Map.of(), List.of(), null, 0, null, null, null));
        assertEquals(List.of("0:2:0"), seen, "partition 0 of 1: the window is whole");
    }

    private void progressEverywhere(long closedUpTo) {
        for (int p = 0; p < 3; p++) {
            send(progress(p, closedUpTo, false));
        }
    }

    @Test
    void hostsAnOlderPartialSentAsTextAndHashedOnesAreOneUnion() {
        WindowPartial asText = data(0, 0, 3, List.of("h1", "h2"), 0); // an older stage one's partial
        WindowPartial withHashes = new WindowPartial(
                1,
                3,
                0L,
                0,
                false,
                false,
                0,
                0,
                0,
                2,
                0,
                Map.of(),
                null,
                null,
                0,
                null,
                null,
                null,
                Map.of(),
                WindowPartial.pack(new long[] {ItemHash.of("h2"), ItemHash.of("h3")}));
        WindowPartial union = PartialMerger.merge(asText, withHashes);
        assertEquals(3, PartialMerger.distinctCount(union), "h2 once, whether it came as text or as its hash");
        assertTrue(union.distinct() == null && union.distinctHashes().length == 3 * 8, "the union as hashes");
        WindowPartial roundTrip = io.httpmon.common.JsonSerde.of(WindowPartial.class)
                .deserialize(
                        "t", io.httpmon.common.JsonSerde.of(WindowPartial.class).serialize("t", union));
        assertEquals(3, PartialMerger.distinctCount(roundTrip), "the hashes through the partials topic's JSON");
    }

    @Test
    void manyDistinctHostsBecomeASketchWithinFivePercent() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 8_000; i++) {
            a.add("10.0." + i);
            b.add("10.1." + i);
        }
        WindowPartial union = PartialMerger.merge(data(0, 0, 1, a, 0), data(1, 0, 1, b, 0));
        assertTrue(union.distinct() == null && union.distinctSketch() != null, "16000 hosts exceed the exact limit");
        long estimate = PartialMerger.distinctCount(union);
        assertTrue(Math.abs(estimate - 16_000) < 16_000 * 0.05, "estimate " + estimate);
    }
}
