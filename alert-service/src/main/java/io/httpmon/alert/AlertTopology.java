package io.httpmon.alert;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.Topics;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.SecondCounts;
import io.httpmon.streams.StateStores;
import io.httpmon.windowing.Aggregation;
import io.httpmon.windowing.Durability;
import io.httpmon.windowing.WindowOutput;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * alert-service's topology: {@code requests} (event time) to {@code alerts} (key the rule name, value
 * {@link AlertEvent} JSON, timestamp the transition's second) and {@code hits-per-second} ({@link SecondCounts}),
 * with the rules read from {@code alert-rules}.
 * Requests are counted per second per partition (by status class and section, {@link AlertCounter}), the counts
 * merged in one task, and every rule evaluated second by second there ({@link AlertSink}). A function of the
 * settings only.
 */
public final class AlertTopology {

    static final String NAME = "alerts";
    static final String STATE_STORE = "alerts-rules";
    static final String CLIENT_STORE = "alerts-clients";

    private AlertTopology() {}

    public static Topology build(String topicPrefix, AlertSettings settings) {
        return build(topicPrefix, settings, Durability.RESTARTABLE);
    }

    /** The same, its state kept as {@code durability} says (a replay's is thrown away). */
    public static Topology build(String topicPrefix, AlertSettings settings, Durability durability) {
        WindowSpec spec = new WindowSpec(1000, settings.grace().toMillis(), settings.idleAfter())
                .withSourceIdle(settings.sourceIdle());
        StreamsBuilder builder = new StreamsBuilder();
        RuleBook book = new RuleBook();
        book.addTo(builder, topicPrefix);
        var stateStore = Stores.keyValueStoreBuilder(
                StateStores.keyValue(STATE_STORE), Serdes.String(), JsonSerde.of(RuleState.class));
        var clientStore = Stores.keyValueStoreBuilder(
                StateStores.keyValue(CLIENT_STORE), Serdes.String(), new ClientCountsSerde());
        // The sink's two outputs: per-second counts, and transitions (with the end-of-input marker).
        WindowOutput<SecondCounts> seconds = WindowOutput.of(Topics.HITS_PER_SECOND, topicPrefix);
        WindowOutput<AlertEvent> events = WindowOutput.of(Topics.ALERTS, topicPrefix);
        // The statistics say when requests come too late: the alerts see the same requests.
        Windowing.build(
                builder,
                Topics.REQUESTS.name(topicPrefix),
                List.of(new Windowing.Part(
                        new Aggregation(NAME, spec, new AlertCounter(book), Aggregation.LateRequests.IGNORED),
                        () -> new AlertSink(book, STATE_STORE, CLIENT_STORE, seconds, events),
                        List.of(stateStore, clientStore),
                        List.of(seconds, events))),
                durability);
        return builder.build();
    }
}
