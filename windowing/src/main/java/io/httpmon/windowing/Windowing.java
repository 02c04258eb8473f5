package io.httpmon.windowing;

import io.httpmon.common.Control;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.model.TimedBatch;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Builds the two stages into a topology: requests, per-partition partials, one merging task. */
public final class Windowing {

    private Windowing() {
    }

    /**
     * Adds the stages to {@code builder} and returns the merging task's output stream.
     *
     * @param name prefix of the stores and internal topic, e.g. {@code stats}
     * @param detailed count every dimension (stats) or hits only (alerts)
     * @param merger the stage-two processor, a {@link MergeProcessor} constructed with the same {@code name}
     * @param mergerStores further stores the stage-two processor uses
     */
    public static <V> KStream<String, V> build(StreamsBuilder builder, String requestsTopic, String name,
            WindowSpec spec, boolean detailed, ProcessorSupplier<String, WindowPartial, String, V> merger,
            List<StoreBuilder<?>> mergerStores) {
        String partialStore = name + "-partial";
        String mergeStore = mergeStoreName(name);
        builder.addStateStore(CounterStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(partialStore), Serdes.Bytes(), Serdes.Long())));
        List<String> stageOneStores = new ArrayList<>(List.of(partialStore));
        if (detailed) {
            String hostStore = PartialWindowProcessor.hostStoreName(partialStore);
            builder.addStateStore(WindowSetStore.builder(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(hostStore), Serdes.Bytes(), Serdes.ByteArray()),
                    PartialWindowProcessor.EXACT_HOSTS));
            stageOneStores.add(hostStore);
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(mergeStore),
                Serdes.String(), JsonSerde.of(MergeState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pendingStoreName(name)),
                Serdes.Bytes(), Serdes.ByteArray()));
        List<String> mergeStores = new ArrayList<>(List.of(mergeStore, pendingStoreName(name)));
        for (StoreBuilder<?> store : mergerStores) {
            builder.addStateStore(store);
            mergeStores.add(store.name());
        }
        // Only the fields counted are decoded, the others skipped as bytes; hits need only the times, which come
        // from the records' header without reading the JSON.
        RequestBatchSerde counted = RequestBatchSerde.reading(PartialWindowProcessor.COUNTED);
        Deserializer<TimedBatch> batches = detailed ? counted::deserialize : RequestBatchSerde.timesReader();
        Serializer<TimedBatch> neverWritten = (topic, value) -> {
            throw new UnsupportedOperationException("requests are only read here");
        };
        KStream<byte[], TimedBatch> requests = builder.stream(requestsTopic,
                Consumed.with(Serdes.ByteArray(), Serdes.serdeFrom(neverWritten, batches))
                        .withName(name + "-requests"));
        Supplier<PartialWindowProcessor> stageOne = () -> new PartialWindowProcessor(spec, partialStore, detailed);
        return requests
                .process(stageOne::get, org.apache.kafka.streams.kstream.Named.as(name + "-partials"),
                        stageOneStores.toArray(String[]::new))
                .repartition(Repartitioned.<String, WindowPartial>as(name + "-partials")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(WindowPartial.class))
                        .withNumberOfPartitions(1))
                .process(merger, org.apache.kafka.streams.kstream.Named.as(name + "-merge"),
                        mergeStores.toArray(String[]::new));
    }

    public static String mergeStoreName(String name) {
        return name + "-merge";
    }

    public static String pendingStoreName(String name) {
        return name + "-pending";
    }

    /** Headers of the end-of-input record a service passes on to its output topic. */
    public static RecordHeaders endOfInputHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Control.CONTROL, Control.END_OF_INPUT.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
