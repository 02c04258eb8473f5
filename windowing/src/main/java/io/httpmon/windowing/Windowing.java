package io.httpmon.windowing;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.model.TimedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds an {@link Aggregation} into a topology: requests, per-partition partials ({@link PartialWindowProcessor}),
 * one merging task ({@link MergeProcessor}) handing the final windows to the service's {@link WindowSink}. The
 * topology depends on the settings only: how many partitions make a window whole is said by the partials.
 */
public final class Windowing {

    private Windowing() {}

    /**
     * Adds both stages to {@code builder}, and a sink node for each of the sink's outputs.
     *
     * @param sink makes the service's sink (one per merging task)
     * @param sinkStores the stores the sink uses, by their names
     * @param outputs the topics the sink writes (see {@link WindowSink.Context#send})
     */
    public static void build(
            StreamsBuilder builder,
            String requestsTopic,
            Aggregation aggregation,
            Supplier<WindowSink> sink,
            List<StoreBuilder<?>> sinkStores,
            List<WindowOutput<?>> outputs) {
        WindowCounter counter = aggregation.counter();
        // Stage one writes its stores once per batch (summed in memory within it). No record cache in front: it
        // cost more CPU than folding those writes per commit saved (see StreamsRunner).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(aggregation.counterStore()), CounterKey.SERDE, Serdes.Long())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(aggregation.clockStore()),
                        Serdes.String(),
                        JsonSerde.of(ClockState.class))
                .withCachingDisabled());
        List<String> stageOneStores = new ArrayList<>(List.of(aggregation.counterStore(), aggregation.clockStore()));
        if (counter.countsDistinct()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore(aggregation.distinctStore()),
                            Serdes.Bytes(),
                            Serdes.ByteArray())
                    .withCachingDisabled());
            stageOneStores.add(aggregation.distinctStore());
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(aggregation.mergeStore()),
                Serdes.String(),
                JsonSerde.of(MergeState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(aggregation.pendingStore()), Serdes.Bytes(), Serdes.ByteArray()));
        List<String> mergeStores = new ArrayList<>(List.of(aggregation.mergeStore(), aggregation.pendingStore()));
        for (StoreBuilder<?> store : sinkStores) {
            builder.addStateStore(store);
            mergeStores.add(store.name());
        }
        // Only the fields counted are decoded, the others skipped as bytes; hits alone need only the times, which
        // come from the records' header without reading the JSON.
        Deserializer<TimedBatch> batches = counter.columns().isEmpty()
                ? RequestBatchSerde.timesReader()
                : RequestBatchSerde.reading(counter.columns())::deserialize;
        Serializer<TimedBatch> neverWritten = (topic, value) -> {
            throw new UnsupportedOperationException("requests are only read here");
        };
        String name = aggregation.name();
        KStream<byte[], TimedBatch> requests = builder.stream(
                requestsTopic,
                Consumed.with(Serdes.ByteArray(), Serdes.serdeFrom(neverWritten, batches))
                        .withName(name + "-requests"));
        KStream<String, Object> merged = requests.process(
                        () -> new PartialWindowProcessor(aggregation),
                        Named.as(name + "-partials"),
                        stageOneStores.toArray(String[]::new))
                .repartition(Repartitioned.<String, WindowPartial>as(aggregation.partialsTopic())
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(WindowPartial.class))
                        .withNumberOfPartitions(1))
                .process(
                        () -> new MergeProcessor(aggregation, sink.get(), outputs),
                        Named.as(name + "-merge"),
                        mergeStores.toArray(String[]::new));
        outputs.forEach(output -> addOutput(merged, output));
    }

    /**
     * A sink node named {@code output.node()} under the merging task. The merging task forwards to it by that name
     * only what the sink sent to this output, a {@code V} (see {@link MergeProcessor}), so its serde sees only
     * those.
     */
    @SuppressWarnings("unchecked")
    private static <V> void addOutput(KStream<String, Object> merged, WindowOutput<V> output) {
        Serde<Object> values = (Serde<Object>) (Serde<?>) output.valueSerde();
        merged.to(output.topic(), Produced.with(Serdes.String(), values).withName(output.node()));
    }
}
