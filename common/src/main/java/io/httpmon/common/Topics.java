package io.httpmon.common;

import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.MonitorDefinition;
import io.httpmon.common.model.ParseError;
import io.httpmon.common.model.ReaderCheckpoint;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.model.RuleDefinition;
import io.httpmon.common.model.SecondCounts;
import io.httpmon.common.model.StatsWindow;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one registry of httpmon's topics. Names are relative to a prefix ({@code httpmon.} by default).
 * The formats of each topic are documented in {@code docs/topics.md}.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "httpmon.";

    /*
     * Records on the event-time topics carry the request's own time, which can be years in the past (a replayed
     * log) or ahead of the broker's clock. Time-based retention and the broker's timestamp sanity checks would
     * delete or reject such records, so these topics are bounded by size instead.
     */
    private static final Map<String, String> EVENT_TIME = Map.of(
            "message.timestamp.type", "CreateTime",
            "message.timestamp.before.max.ms", Long.toString(Long.MAX_VALUE),
            "message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE),
            "retention.ms", "-1",
            "retention.bytes", Long.toString(1L << 30));

    private static final Map<String, String> WALL_CLOCK = Map.of("retention.ms", Long.toString(7L * 24 * 3600 * 1000));

    /**
     * Raw access-log lines as the reader read them: key none, value a chunk of whole lines, each followed by a
     * newline (see {@link Control#FIRST_LINE}, {@link Control#END_OFFSET}).
     */
    public static final Topic<byte[], byte[]> RAW_LINES =
            new Topic<>("raw-lines", Serdes.ByteArray(), Serdes.ByteArray(), 0, WALL_CLOCK);

    /**
     * Parsed requests: key none, value a {@link RequestBatch} (the requests of one raw-lines chunk, JSON rows under
     * named columns, see {@link RequestBatchSerde}), record timestamp its newest request's time.
     */
    public static final Topic<byte[], RequestBatch> REQUESTS =
            new Topic<>("requests", Serdes.ByteArray(), RequestBatchSerde.all(), 0, EVENT_TIME);

    /** Dead letters: lines the parser could not read, with the reason and where they came from. */
    public static final Topic<String, ParseError> PARSE_ERRORS =
            new Topic<>("parse-errors", Serdes.String(), JsonSerde.of(ParseError.class), 0, WALL_CLOCK);

    /**
     * Statistics per window: key none, value {@link StatsWindow}, timestamp the window's end. One partition: the
     * windows are read in order.
     */
    public static final Topic<String, StatsWindow> STATS =
            new Topic<>("stats", Serdes.String(), JsonSerde.of(StatsWindow.class), 1, EVENT_TIME);

    /** Alert transitions: key the rule name, value {@link AlertEvent}. One partition: transitions in order. */
    public static final Topic<String, AlertEvent> ALERTS =
            new Topic<>("alerts", Serdes.String(), JsonSerde.of(AlertEvent.class), 1, EVENT_TIME);

    /**
     * Requests per second of event time by section and status class: key none, value {@link SecondCounts},
     * timestamp the second. One partition, in order. Written by alert-service; for dashboards.
     */
    public static final Topic<String, SecondCounts> HITS_PER_SECOND =
            new Topic<>("hits-per-second", Serdes.String(), JsonSerde.of(SecondCounts.class), 1, EVENT_TIME);

    /**
     * The alert rules alert-service evaluates: key the rule's name, value {@link RuleDefinition}, a tombstone deletes
     * it. Compacted: the latest definition of every rule is kept for ever. Seeded from the config file; changed with
     * {@code httpmon rules}.
     */
    public static final Topic<String, RuleDefinition> ALERT_RULES = new Topic<>(
            "alert-rules", Serdes.String(), JsonSerde.of(RuleDefinition.class), 1, Map.of("cleanup.policy", "compact"));

    /**
     * The {@code [Stats NAME]} monitors stats-service counts: key the monitor's name, value {@link MonitorDefinition}
     * (its section as text), a tombstone deletes it. Compacted. Seeded from the config file; changed with
     * {@code httpmon monitors} or the dashboard, counted from the next window on.
     */
    public static final Topic<String, MonitorDefinition> MONITORS = new Topic<>(
            "monitors", Serdes.String(), JsonSerde.of(MonitorDefinition.class), 1, Map.of("cleanup.policy", "compact"));

    /** The reader's position per followed file, written in the same transaction as the lines it covers. */
    public static final Topic<String, ReaderCheckpoint> READER_CHECKPOINTS = new Topic<>(
            "reader-checkpoints",
            Serdes.String(),
            JsonSerde.of(ReaderCheckpoint.class),
            1,
            Map.of("cleanup.policy", "compact"));

    private Topics() {}

    /** Every topic of the pipeline, for tools that create or inspect them all. */
    public static List<Topic<?, ?>> all() {
        return List.of(
                RAW_LINES,
                REQUESTS,
                PARSE_ERRORS,
                STATS,
                ALERTS,
                ALERT_RULES,
                MONITORS,
                HITS_PER_SECOND,
                READER_CHECKPOINTS);
    }
}
