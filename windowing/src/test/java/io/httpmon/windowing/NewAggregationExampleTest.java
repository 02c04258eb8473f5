package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.testing.TestRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/architecture.md ("A new aggregation"), run: requests per HTTP method per minute of event time,
 * to a topic of its own. What a service writes to add an aggregation; the windowing core does the rest (event time,
 * partitions, late requests, quiet spans, exactly once).
 */
class NewAggregationExampleTest {

    // --- the example, as in docs/architecture.md ---
    record MethodCounts(long minute, Map<String, Long> methods) {}

    static final Dimension<String> METHOD = Dimension.top('m', "method");

    static final class MethodCounter implements WindowCounter {
        public Set<Column> columns() {
            return Set.of(Column.METHOD); // only this field of a request is decoded
        }

        public List<Dimension<?>> dimensions() {
            return List.of(METHOD);
        }

        public void count(HttpRequest request, Tally tally) {
            tally.item(METHOD, request.method());
        }
    }

    static final WindowOutput<MethodCounts> OUT =
            new WindowOutput<>("methods-out", "methods", JsonSerde.of(MethodCounts.class));

    static final class MethodSink implements WindowSink {
        private Context context;

        public void init(Context c) {
            context = c;
        }

        public void onWindow(long start, WindowPartial merged, Stragglers late) {
            context.send(OUT, new Record<>(null, new MethodCounts(start, merged.items(METHOD)), start));
        }

        public void onQuiet(long from, long to, Stragglers late) {}

        public void onRevision(long start, WindowPartial merged, int revision) {}

        public void onEndOfInput(long upTo) {}
    }

    static void build(StreamsBuilder builder) {
        Windowing.build(
                builder,
                "requests",
                new Aggregation(
                        "methods",
                        new WindowSpec(60_000, 2_000, Duration.ofSeconds(1)),
                        new MethodCounter(),
                        Aggregation.LateRequests.IGNORED),
                MethodSink::new,
                List.of(),
                List.of(OUT));
    }
    // --- end of the example ---

    @TempDir
    Path stateDir;

    @Test
    void theExampleCountsMethodsPerMinute() {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder);
        try (TopologyTestDriver driver =
                new TopologyTestDriver(builder.build(), io.httpmon.windowing.testing.PipelineDriver.config(stateDir))) {
            var requests = driver.createInputTopic(
                    "requests", Serdes.String().serializer(), io.httpmon.common.RequestBatchSerde.all());
            Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
            requests.pipeInput(
                    "a",
                    new RequestBatch(
                            t0.toEpochMilli(),
                            0,
                            List.of(
                                    TestRequest.at(t0.plusSeconds(1)).build(),
                                    TestRequest.at(t0.plusSeconds(2))
                                            .method("POST", "/form")
                                            .build(),
                                    TestRequest.at(t0.plusSeconds(30)).build())),
                    t0.plusSeconds(30).toEpochMilli());
            requests.pipeInput(
                    "a",
                    RequestBatch.of(TestRequest.at(t0.plusSeconds(65)).build()),
                    t0.plusSeconds(65).toEpochMilli());

            var out = driver.createOutputTopic(
                    "methods", Serdes.String().deserializer(), JsonSerde.of(MethodCounts.class));
            assertEquals(
                    List.of(new MethodCounts(t0.toEpochMilli(), Map.of("GET", 2L, "POST", 1L))),
                    out.readValuesToList());
        }
    }
}
