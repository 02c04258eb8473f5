package io.httpmon.windowing;

import java.util.Set;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the merging task ({@link MergeProcessor}) hands the final windows of an aggregation: a service's output
 * (stats records, alert transitions). Called in event-time order, once per window (and once per revision).
 */
public interface WindowSink {

    /** What the merging task offers its sink: its outputs, its stores, the time. */
    interface Context {
        /** Writes {@code record} to {@code output}, one of the outputs the sink was built with. */
        <V> void send(WindowOutput<V> output, Record<String, V> record);

        /** One of the sink's own stores, by name. */
        <S extends StateStore> S getStateStore(String name);

        /** The task's wall clock (ms), as Kafka Streams tells it. */
        long currentSystemTimeMs();
    }

    /** The merging task starts (again): send output and get the sink's own stores through {@code context}. */
    void init(Context context);

    /**
     * A window with requests is final.
     *
     * @param windowStart its start, epoch millis
     * @param merged the partials of every partition merged
     * @param stragglers late and future requests reported since the previous window or span
     */
    void onWindow(long windowStart, WindowPartial merged, Stragglers stragglers);

    /**
     * The windows from {@code from} to {@code to} (exclusive; one or more whole windows) are final and had no
     * request. One call however long the span; the same span may come in several calls when it becomes final bit by
     * bit (live, a heartbeat at a time).
     */
    void onQuiet(long from, long to, Stragglers stragglers);

    /**
     * A window handed over already has changed: requests within max lateness were counted in it. Never called for
     * windows that are final at grace ({@link WindowSpec#revises()} false).
     *
     * @param merged its partials merged anew (the full corrected totals)
     * @param revision 1 for the first revision of this window, then 2, ...
     */
    void onRevision(long windowStart, WindowPartial merged, int revision);

    /** Every partition reached the end of input; every window up to {@code upTo} has been handed over. */
    void onEndOfInput(long upTo);

    /**
     * As {@link #onEndOfInput(long)}, saying which sources (readers) ended; what the merging task calls. A sink that
     * passes the end on says how many sources it saw end.
     */
    default void onEndOfInput(long upTo, Set<String> sources) {
        onEndOfInput(upTo);
    }
}
