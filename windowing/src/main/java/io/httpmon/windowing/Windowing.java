package io.httpmon.windowing;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.TimedBatch;
import io.httpmon.streams.StateStores;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
     * What one aggregation needs besides the requests: its sink, the stores the sink uses and the topics it writes.
     *
     * @param sink makes the service's sink (one per merging task)
     * @param sinkStores the stores the sink uses, by their names
     * @param outputs the topics the sink writes (see {@link WindowSink.Context#send}); a node of each per part
     */
    public record Part(
            Aggregation aggregation,
            Supplier<WindowSink> sink,
            List<StoreBuilder<?>> sinkStores,
            List<WindowOutput<?>> outputs) {}

    /** Adds both stages of one aggregation to {@code builder}, and a sink node for each of the sink's outputs. */
    public static void build(
            StreamsBuilder builder,
            String requestsTopic,
            Aggregation aggregation,
            Supplier<WindowSink> sink,
            List<StoreBuilder<?>> sinkStores,
            List<WindowOutput<?>> outputs) {
        build(
                builder,
                requestsTopic,
                List.of(new Part(aggregation, sink, sinkStores, outputs)),
                Durability.RESTARTABLE);
    }

    /**
     * Adds several aggregations of the same requests (a service's monitors): one source, decoding the columns any
     * of them reads; their stage ones run in the same tasks, each merging in its own. Their stores (their sinks' too)
     * are kept as {@code durability} says.
     */
    public static void build(StreamsBuilder builder, String requestsTopic, List<Part> parts, Durability durability) {
        Set<Column> columns = EnumSet.noneOf(Column.class);
        parts.forEach(p -> columns.addAll(p.aggregation().counter().columns()));
        // Only the fields counted are decoded, the others skipped as bytes; hits alone need only the times, which
        // come from the records' header without reading the JSON.
        Deserializer<TimedBatch> batches =
                columns.isEmpty() ? RequestBatchSerde.timesReader() : RequestBatchSerde.reading(columns)::deserialize;
        Serializer<TimedBatch> neverWritten = (topic, value) -> {
            throw new UnsupportedOperationException("requests are only read here");
        };
        KStream<byte[], TimedBatch> requests = builder.stream(
                requestsTopic,
                Consumed.with(Serdes.ByteArray(), Serdes.serdeFrom(neverWritten, batches))
                        .withName(parts.get(0).aggregation().name() + "-requests"));
        for (Part part : parts) {
            add(builder, requests, part, durability);
        }
    }

    private static void add(
            StreamsBuilder builder, KStream<byte[], TimedBatch> requests, Part part, Durability durability) {
        Aggregation aggregation = part.aggregation();
        WindowCounter counter = aggregation.counter();
        // Stage one writes its stores once per batch (summed in memory within it). No record cache in front: it
        // cost more CPU than folding those writes per commit saved (see StreamsRunner).
        builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                        StateStores.perItem(aggregation.counterStore()), CounterKey.SERDE, Serdes.Long())
                .withCachingDisabled()));
        builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                        StateStores.keyValue(aggregation.clockStore()), Serdes.String(), JsonSerde.of(ClockState.class))
                .withCachingDisabled()));
        List<String> stageOneStores = new ArrayList<>(List.of(aggregation.counterStore(), aggregation.clockStore()));
        if (counter.countsDistinct()) {
            builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                            StateStores.keyValue(aggregation.distinctStore()), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingDisabled()));
            stageOneStores.add(aggregation.distinctStore());
        }
        if (aggregation.packsCounters()) {
            builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                            StateStores.keyValue(aggregation.packedStore()), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingDisabled()));
            stageOneStores.add(aggregation.packedStore());
        }
        builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                StateStores.keyValue(aggregation.mergeStore()), Serdes.String(), JsonSerde.of(MergeState.class))));
        builder.addStateStore(durability.apply(Stores.keyValueStoreBuilder(
                StateStores.keyValue(aggregation.pendingStore()), Serdes.Bytes(), Serdes.ByteArray())));
        List<String> mergeStores = new ArrayList<>(List.of(aggregation.mergeStore(), aggregation.pendingStore()));
        for (StoreBuilder<?> store : part.sinkStores()) {
            builder.addStateStore(durability.apply(store));
            mergeStores.add(store.name());
        }
        String name = aggregation.name();
        ReplayStateLost.Starts stageOne = durability == Durability.THROWAWAY ? new ReplayStateLost.Starts(name) : null;
        ReplayStateLost.Starts merging = durability == Durability.THROWAWAY ? new ReplayStateLost.Starts(name) : null;
        KStream<String, Object> merged = requests.process(
                        () -> new PartialWindowProcessor(aggregation, stageOne),
                        Named.as(name + "-partials"),
                        stageOneStores.toArray(String[]::new))
                .repartition(Repartitioned.<String, WindowPartial>as(aggregation.partialsTopic())
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new WindowPartialSerde())
                        .withNumberOfPartitions(1))
                .process(
                        () -> new MergeProcessor(aggregation, part.sink().get(), part.outputs(), merging),
                        Named.as(name + "-merge"),
                        mergeStores.toArray(String[]::new));
        part.outputs().forEach(output -> addOutput(merged, output));
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
