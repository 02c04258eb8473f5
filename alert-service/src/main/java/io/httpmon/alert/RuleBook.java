package io.httpmon.alert;

import io.httpmon.common.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The rules in force: the {@code alert-rules} topic kept in a global store (every instance has all of it; Kafka
 * Streams reads it to its end before any request is processed, so a replay starts with the rules as they are), and a
 * version that moves with every change, so the evaluation reads the store only after one. Values stay JSON bytes
 * here: {@link AlertSink} parses only the rules whose bytes changed.
 */
final class RuleBook {

    static final String STORE = "alerts-rule-book";

    private final AtomicLong version = new AtomicLong();

    /** Adds the global store, fed by the rules topic, to {@code builder}. */
    void addTo(StreamsBuilder builder, String topicPrefix) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.ALERT_RULES.name(topicPrefix),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("alerts-rule-book-source"),
                () -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore(STORE);
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        if (record.key() == null) {
                            return;
                        }
                        if (record.value() == null) {
                            store.delete(record.key());
                        } else {
                            store.put(record.key(), record.value());
                        }
                        version.incrementAndGet();
                    }
                });
    }

    /** Moves with every change of the store (from the global thread). */
    long version() {
        return version.get();
    }

    /** Every rule's JSON, by name. */
    static Map<String, byte[]> read(KeyValueStore<String, byte[]> store) {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        return all;
    }
}
