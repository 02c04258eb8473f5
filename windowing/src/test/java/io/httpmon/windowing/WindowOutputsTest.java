package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Control;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.testing.TestRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink with several outputs: each record reaches the topic of the output it was sent to, with that serde. */
class WindowOutputsTest {

    private static final WindowOutput<Long> COUNTS = new WindowOutput<>("counts-out", "counts", Serdes.Long());
    private static final WindowOutput<String> LABELS = new WindowOutput<>("labels-out", "labels", Serdes.String());
    private static final WindowOutput<String> UNDECLARED = new WindowOutput<>("other-out", "other", Serdes.String());

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;

    /** Each window: its hits to one topic, a label to the other; {@code stray} also to an output not declared. */
    private record TwoOutputs(boolean stray) implements WindowSink {
        private static Context context;

        @Override
        public void init(Context c) {
            context = c;
        }

        @Override
        public void onWindow(long windowStart, WindowPartial merged, Stragglers stragglers) {
            context.send(COUNTS, new Record<>("w" + windowStart, merged.hits(), windowStart));
            context.send(LABELS, new Record<>("w" + windowStart, "window at " + windowStart, windowStart));
            if (stray) {
                context.send(UNDECLARED, new Record<>("w", "lost", windowStart));
            }
        }

        @Override
        public void onQuiet(long from, long to, Stragglers stragglers) {}

        @Override
        public void onRevision(long windowStart, WindowPartial merged, int revision) {}

        @Override
        public void onEndOfInput(long upTo) {}
    }

    private TestInputTopic<String, RequestBatch> start(boolean stray) {
        StreamsBuilder builder = new StreamsBuilder();
        Windowing.build(
                builder,
                "requests",
                new Aggregation(
                        "o",
                        new WindowSpec(10_000, 0, Duration.ofSeconds(1)),
                        WindowCounter.HITS,
                        Aggregation.LateRequests.IGNORED),
                () -> new TwoOutputs(stray),
                List.of(),
                List.of(COUNTS, LABELS));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "outputs-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        return driver.createInputTopic("requests", Serdes.String().serializer(), RequestBatchSerde.all());
    }

    private static RequestBatch at(long... millis) {
        return new RequestBatch(
                0,
                0,
                Arrays.stream(millis).mapToObj(t -> TestRequest.at(t).build()).toList());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void eachOutputGetsItsOwnRecordsWithItsOwnSerde() {
        TestInputTopic<String, RequestBatch> requests = start(false);
        requests.pipeInput("a", at(1_000, 2_000, 12_000), 12_000);
        requests.pipeInput(
                new TestRecord<>(null, null, Control.endOfInput(20_000).headers(), 20_000L));

        var counts = driver.createOutputTopic(
                "counts", Serdes.String().deserializer(), Serdes.Long().deserializer());
        var labels = driver.createOutputTopic(
                "labels", Serdes.String().deserializer(), Serdes.String().deserializer());
        assertEquals(List.of(2L, 1L), counts.readValuesToList());
        assertEquals(List.of("window at 0", "window at 10000"), labels.readValuesToList());
    }

    @Test
    void aSinkSendingToAnOutputItWasNotBuiltWithFailsNamingIt() {
        TestInputTopic<String, RequestBatch> requests = start(true);
        StreamsException e = assertThrows(StreamsException.class, () -> {
            requests.pipeInput("a", at(1_000, 12_000), 12_000);
            requests.pipeInput(
                    new TestRecord<>(null, null, Control.endOfInput(20_000).headers(), 20_000L));
        });
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(
                cause.getMessage().contains("not an output of o: ")
                        && cause.getMessage().contains("other-out"),
                cause.getMessage());
    }
}
