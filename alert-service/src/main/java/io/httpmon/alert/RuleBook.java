package io.httpmon.alert;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.Topics;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.RuleDefinition;
import io.httpmon.streams.StateStores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
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
 *
 * <p>It also says which kinds are in force, so requests are counted by client or by response time only while some
 * rule needs it ({@link AlertCounter}): the global store is read to its end before the first request, so a replay
 * counts them from its first second; a rule added while running counts from about when it arrives.
 */
final class RuleBook {

    static final String STORE = "alerts-rule-book";

    private static final JsonSerde<RuleDefinition> DEFINITIONS = JsonSerde.of(RuleDefinition.class);

    private final AtomicLong version = new AtomicLong();
    private volatile boolean countsClients;
    private volatile boolean countsLatency;

    /** Adds the global store, fed by the rules topic, to {@code builder}. */
    void addTo(StreamsBuilder builder, String topicPrefix) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(StateStores.keyValue(STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.ALERT_RULES.name(topicPrefix),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("alerts-rule-book-source"),
                () -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore(STORE);
                        kindsIn(store); // as restored: a restore does not pass its records through process()
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
                        kindsIn(store);
                        version.incrementAndGet();
                    }
                });
    }

    /** Notes whether some rule in {@code store} counts clients, or response times. */
    private void kindsIn(KeyValueStore<String, byte[]> store) {
        boolean clients = false;
        boolean latency = false;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                AlertRule.Kind kind = kind(it.next().value);
                clients |= kind == AlertRule.Kind.CLIENT_RATE;
                latency |= kind == AlertRule.Kind.LATENCY;
            }
        }
        countsClients = clients;
        countsLatency = latency;
    }

    private static AlertRule.Kind kind(byte[] json) {
        try {
            RuleDefinition definition = DEFINITIONS.deserialize(STORE, json);
            return definition == null || definition.rule() == null
                    ? null
                    : definition.rule().kind();
        } catch (SerializationException | UsageException e) {
            return null; // the sink says so, once
        }
    }

    /** Whether some rule in force counts the requests of each client ({@code client_rate}). */
    boolean countsClients() {
        return countsClients;
    }

    /** Whether some rule in force measures response times ({@code latency}). */
    boolean countsLatency() {
        return countsLatency;
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
