package io.httpmon.stats;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.Topics;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.windowing.Aggregation;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * stats-service's topology: {@code requests} (batches, event time) to {@code stats} (no key, value
 * {@link StatsWindow} JSON, timestamp the window's end), one record per tumbling window, emitted when the window
 * closes. Counted per partition by {@link StatsCounter}, merged in one task and turned into records by
 * {@link StatsSink} (see {@link Windowing}). A function of the settings only.
 */
public final class StatsTopology {

    static final String NAME = "stats";
    static final String RUN_STORE = "stats-quiet";

    private StatsTopology() {
    }

    public static Topology build(String topicPrefix, StatsSettings settings) {
        WindowSpec spec = new WindowSpec(settings.intervalSeconds() * 1000L, settings.grace().toMillis(),
                settings.maxLateness().toMillis(), settings.idleAfter());
        StreamsBuilder builder = new StreamsBuilder();
        var runStore = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(),
                JsonSerde.of(QuietRun.class));
        Windowing.build(builder, Topics.REQUESTS.name(topicPrefix), new Aggregation(NAME, spec, new StatsCounter(), true),
                        () -> new StatsSink(spec, RUN_STORE, settings.top()), List.of(runStore))
                .to(Topics.STATS.name(topicPrefix),
                        Produced.with(Serdes.String(), Topics.STATS.valueSerde()).withName("stats-out"));
        return builder.build();
    }
}
