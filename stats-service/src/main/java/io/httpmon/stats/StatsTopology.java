package io.httpmon.stats;

import io.httpmon.common.ControlChars;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.ThrottledWarning;
import io.httpmon.common.Times;
import io.httpmon.common.Topics;
import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.streams.StateStores;
import io.httpmon.windowing.Aggregation;
import io.httpmon.windowing.Durability;
import io.httpmon.windowing.WindowOutput;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stats-service's topology: {@code requests} (batches, event time) to {@code stats} (no key, value
 * {@link StatsWindow} JSON, timestamp the window's end), one record per tumbling window, emitted when the window
 * closes. Counted per partition by {@link StatsCounter}, merged in one task and turned into records by
 * {@link StatsSink} (see {@link Windowing}). A function of the settings only.
 */
public final class StatsTopology {

    private static final Logger log = LoggerFactory.getLogger(StatsTopology.class);

    static final String NAME = "stats";
    static final String RUN_STORE = "stats-quiet";

    private StatsTopology() {}

    /**
     * The warning about late requests: per source (so it names the web server whose lines came late), each said at
     * once, then at most once a minute with the figures. Sources are few: one map entry per reader.
     */
    static Aggregation.LateRequests lateWarning(WindowSpec spec) {
        Map<String, ThrottledWarning> bySource = new ConcurrentHashMap<>();
        return (source, count, largest) -> {
            bySource.computeIfAbsent(source, s -> lateWarning(spec, s)).add(count, largest);
            ServiceMetrics.SOURCE_LATE_REQUESTS.labelValues(source).inc(count);
        };
    }

    static ThrottledWarning lateWarning(WindowSpec spec, String source) {
        long graceS = spec.graceMs() / 1000;
        long lateS = spec.lateMs() / 1000;
        String from = source.isEmpty() ? "" : " from source '" + ControlChars.escape(source) + "'";
        return new ThrottledWarning(
                log,
                (count, largest) -> count + " request" + (count == 1 ? "" : "s") + from
                        + " came too late for their window, up to " + Times.span(largest) + " behind the newest (grace "
                        + graceS + " s, max_lateness " + lateS + " s); counted as late. [Stats] max_lateness = "
                        + Math.min(86_400, (largest + 999) / 1000 + 1) + " would have counted them in their windows");
    }

    public static Topology build(String topicPrefix, StatsSettings settings) {
        return build(topicPrefix, settings, Durability.RESTARTABLE);
    }

    /** The same, its state kept as {@code durability} says (a replay's is thrown away). */
    public static Topology build(String topicPrefix, StatsSettings settings, Durability durability) {
        StreamsBuilder builder = new StreamsBuilder();
        List<Windowing.Part> parts = new ArrayList<>();
        WindowSpec spec = spec(settings, settings.intervalSeconds());
        parts.add(part(
                topicPrefix,
                new Aggregation(NAME, spec, StatsCounter.ALL, lateWarning(spec)),
                RUN_STORE,
                WindowOutput.of(Topics.STATS, topicPrefix),
                settings.top(),
                null,
                false));
        for (MonitorSettings monitor : settings.monitors()) {
            // Each monitor windows the same requests on its own: its own stores, merging task and internal topic,
            // all named after it. Late requests are the default monitor's to warn about (the same requests).
            String name = MONITOR_PREFIX + monitor.name();
            parts.add(part(
                    topicPrefix,
                    new Aggregation(
                            name,
                            spec(settings, monitor.intervalOr(settings.intervalSeconds())),
                            new StatsCounter(monitor.filter(), monitor.groupBy()),
                            Aggregation.LateRequests.IGNORED),
                    name + "-quiet",
                    new WindowOutput<>(
                            name + "-" + Topics.STATS.baseName() + "-out",
                            Topics.STATS.name(topicPrefix),
                            Topics.STATS.valueSerde()),
                    monitor.topOr(settings.top()),
                    monitor.name(),
                    monitor.groupBy() != null));
        }
        Windowing.build(builder, Topics.REQUESTS.name(topicPrefix), parts, durability);
        return builder.build();
    }

    /** What names a {@code [Stats NAME]} monitor's stores and internal topic, before its name. */
    static final String MONITOR_PREFIX = "monitor-";

    private static WindowSpec spec(StatsSettings settings, int intervalSeconds) {
        return new WindowSpec(
                        intervalSeconds * 1000L,
                        settings.grace().toMillis(),
                        settings.maxLateness().toMillis(),
                        settings.idleAfter())
                .withSourceIdle(settings.sourceIdle());
    }

    private static Windowing.Part part(
            String topicPrefix,
            Aggregation aggregation,
            String runStore,
            WindowOutput<StatsWindow> output,
            int top,
            String monitor,
            boolean grouped) {
        var runs = Stores.keyValueStoreBuilder(
                StateStores.keyValue(runStore), Serdes.String(), JsonSerde.of(QuietRun.class));
        return new Windowing.Part(
                aggregation,
                () -> new StatsSink(aggregation.spec(), runStore, top, output, monitor, grouped),
                List.of(runs),
                List.of(output));
    }
}
