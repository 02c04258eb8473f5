package io.httpmon.stats;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.Topics;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * stats-service's topology: {@code requests} (key host, value HttpRequest JSON, event time) to {@code stats}
 * (no key, value {@link StatsWindow} JSON, timestamp the window's end), one record per tumbling window, emitted
 * when the window closes. Counted per partition first, merged in one task (see {@link Windowing}).
 */
public final class StatsTopology {

    static final String NAME = "stats";
    static final String RUN_STORE = "stats-quiet";

    private StatsTopology() {
    }

    /**
     * @param requestPartitions partitions of the requests topic: how many partials make a window whole
     */
    public static Topology build(String topicPrefix, StatsSettings settings, int requestPartitions) {
        WindowSpec spec = new WindowSpec(settings.intervalSeconds() * 1000L, settings.grace().toMillis(),
                settings.maxLateness().toMillis(), settings.idleAfter());
        StreamsBuilder builder = new StreamsBuilder();
        var runStore = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(),
                JsonSerde.of(QuietRun.class));
        Windowing.build(builder, Topics.REQUESTS.name(topicPrefix), NAME, spec, true,
                        () -> new StatsMerger(spec, NAME, RUN_STORE, requestPartitions, settings.top()),
                        List.of(runStore))
                .to(Topics.STATS.name(topicPrefix),
                        Produced.with(Serdes.String(), Topics.STATS.valueSerde()).withName("stats-out"));
        return builder.build();
    }
}
