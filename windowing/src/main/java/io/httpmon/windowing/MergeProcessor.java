package io.httpmon.windowing;

import io.httpmon.common.JsonSerde;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage two of the two-stage aggregation, in a single task: merges the partials of every {@code requests}
 * partition and hands each window with requests, in order, to {@link #onWindow} once it is final everywhere: when
 * every partition has closed past its end. Each run of windows without any request between them is handed over as
 * one span, {@link #onQuiet}, so time without traffic is reported and the cost follows the windows with data, never
 * the length of a gap (a log that jumps a year costs one call). When every partition has reached the end of input,
 * every remaining window is final, then {@link #onEndOfInput} is called.
 *
 * <p>With a max lateness beyond grace ({@link WindowSpec#revises()}), each partition's partial of a window is kept
 * until every partition is past the window's max lateness; a partition that counts a late request in a window
 * already handed over sends its partial again, and the window is handed over once more, merged anew, to
 * {@link #onRevision}: at most once per window each time the merged progress moves on, never once per request.
 */
public abstract class MergeProcessor<VOut> implements Processor<String, WindowPartial, String, VOut> {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MergeProcessor.class);
    private static final String STATE_KEY = "state";

    private final WindowSpec spec;
    private final String name;
    private final int partitions;

    protected ProcessorContext<String, VOut> context;
    private KeyValueStore<String, MergeState> store;
    /** Each partition's partial of each window not dropped yet, by (window start, partition). */
    /** Partials by (window, partition), as JSON: read back only to be merged, never to find or drop keys. */
    private KeyValueStore<Bytes, byte[]> pending;
    private static final JsonSerde<WindowPartial> PARTIAL = JsonSerde.of(WindowPartial.class);
    /**
     * Windows handed over already that a partition sent again since. Not saved: after a crash the partials that
     * made them dirty are processed again.
     */
    private final TreeSet<Long> dirty = new TreeSet<>();

    /**
     * @param name the name given to {@link Windowing#build}: it names the stores
     * @param partitions how many partitions {@code requests} has: the number of partials each window waits for
     */
    protected MergeProcessor(WindowSpec spec, String name, int partitions) {
        this.spec = spec;
        this.name = name;
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, VOut> context) {
        this.context = context;
        this.store = context.getStateStore(Windowing.mergeStoreName(name));
        this.pending = context.getStateStore(Windowing.pendingStoreName(name));
        dirty.clear();
    }

    @Override
    public void process(Record<String, WindowPartial> record) {
        WindowPartial partial = record.value();
        if (partial == null) {
            return;
        }
        MergeState state = store.get(STATE_KEY);
        if (state == null) {
            state = new MergeState();
        }
        state.closedUpTo.merge(partial.sourcePartition(), partial.closedUpTo(), Math::max);
        state.late += partial.late();
        state.future += partial.future();
        state.lateness = Math.max(state.lateness, partial.lateness());
        if (partial.windowStart() != null && state.retainedFrom != null && partial.windowStart() < state.retainedFrom) {
            log.warn("Partition {} sent window {} again after every partition was past its max lateness; ignored",
                    partial.sourcePartition(), io.httpmon.common.Times.iso(partial.windowStart()));
        } else if (partial.windowStart() != null) {
            long window = partial.windowStart();
            pending.put(key(window, partial.sourcePartition()), PARTIAL.serialize(null, partial));
            if (state.started && window < state.nextEmit) {
                dirty.add(window); // handed over already: a revision
            } else if (state.nextEmit == null || window < state.nextEmit) {
                state.nextEmit = window;
            }
        }
        if (partial.endOfInput()) {
            state.ended.add(partial.sourcePartition());
        }
        boolean allEnded = state.ended.size() >= partitions;
        long finalUpTo;
        if (allEnded) {
            finalUpTo = state.closedUpTo.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        } else if (state.closedUpTo.size() >= partitions) {
            finalUpTo = Collections.min(state.closedUpTo.values());
        } else {
            finalUpTo = Long.MIN_VALUE;
        }
        boolean moved = state.finalUpTo == null || finalUpTo > state.finalUpTo;
        if (state.nextEmit != null && finalUpTo != Long.MIN_VALUE) {
            handOver(state, spec.startOf(finalUpTo - spec.sizeMs()) + spec.sizeMs());
        }
        if (moved || allEnded) {
            state.finalUpTo = finalUpTo;
            sendRevisions(state);
            // Every partition is past max lateness for windows ending this far back: none will send them again.
            dropBefore(state, allEnded ? Long.MAX_VALUE
                    : finalUpTo == Long.MIN_VALUE ? Long.MIN_VALUE : finalUpTo - (spec.lateMs() - spec.graceMs())
                            - spec.sizeMs() + 1);
        }
        if (allEnded) {
            log.info("End of input on all {} partitions: every window up to {} is final", partitions,
                    io.httpmon.common.Times.iso(finalUpTo));
            onEndOfInput(finalUpTo);
            state.ended.clear();
            for (Integer p : state.closedUpTo.keySet()) {
                state.closedUpTo.put(p, finalUpTo);
            }
        }
        store.put(STATE_KEY, state);
    }

    /** Hands over, in order, every window that starts before {@code before}: those with data one by one, gaps whole. */
    private void handOver(MergeState state, long before) {
        long next = state.nextEmit;
        while (next < before) {
            Long data = firstPending(next, before - 1);
            Stragglers stragglers = new Stragglers(state.late, state.future, state.lateness);
            state.late = 0;
            state.future = 0;
            state.lateness = 0;
            state.started = true;
            if (data != null && data.longValue() == next) {
                onWindow(next, merged(next, !spec.revises()), stragglers);
                next += spec.sizeMs();
            } else {
                long end = data != null ? data : before;
                onQuiet(next, end, stragglers);
                next = end;
            }
        }
        state.nextEmit = next;
    }

    /** Hands the windows sent again over again, each merged anew from every partition's latest partial. */
    private void sendRevisions(MergeState state) {
        for (Long window : dirty) {
            int revision = state.revisions.merge(window, 1, Integer::sum);
            onRevision(window, merged(window, false), revision);
        }
        dirty.clear();
    }

    /** Drops the partials of the windows that start before {@code bound} (already handed over). */
    private void dropBefore(MergeState state, long bound) {
        if (!spec.revises() || state.nextEmit == null) {
            return;
        }
        long upTo = Math.min(bound, state.nextEmit);
        long from = state.retainedFrom != null ? state.retainedFrom : 0;
        if (upTo <= from) {
            return;
        }
        List<Bytes> gone = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(from, 0), key(upTo - 1, Integer.MAX_VALUE))) {
            it.forEachRemaining(kv -> gone.add(kv.key));
        }
        gone.forEach(pending::delete);
        state.revisions.headMap(upTo).clear();
        state.retainedFrom = upTo;
    }

    /** The partials of {@code window} merged; removed from the store when {@code take}. */
    private WindowPartial merged(long window, boolean take) {
        WindowPartial merged = null;
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(window, 0),
                key(window, Integer.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                merged = PartialMerger.merge(merged, PARTIAL.deserialize(null, kv.value));
                keys.add(kv.key);
            }
        }
        if (take) {
            keys.forEach(pending::delete);
        }
        return merged;
    }

    /** The earliest window with data from {@code from} to {@code to} (starts, inclusive), or null. */
    private Long firstPending(long from, long to) {
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(from, 0), key(to, Integer.MAX_VALUE))) {
            return it.hasNext() ? ByteBuffer.wrap(it.next().key.get()).getLong() ^ Long.MIN_VALUE : null;
        }
    }

    /** Partials sort by window start (sign bit flipped for unsigned byte order), then partition. */
    static Bytes key(long window, int partition) {
        return Bytes.wrap(ByteBuffer.allocate(12).putLong(window ^ Long.MIN_VALUE).putInt(partition).array());
    }

    /**
     * A window with requests is final.
     *
     * @param windowStart its start, epoch millis
     * @param merged the merged partials
     * @param stragglers late and future requests reported since the previous window or span
     */
    protected abstract void onWindow(long windowStart, WindowPartial merged, Stragglers stragglers);

    /**
     * The windows from {@code from} to {@code to} (exclusive; one or more whole windows) are final and had no
     * request. One call however long the span; the same span may come in several calls when it becomes final bit by
     * bit (live, a heartbeat at a time).
     *
     * @param stragglers late and future requests reported since the previous window or span
     */
    protected abstract void onQuiet(long from, long to, Stragglers stragglers);

    /**
     * A window handed over already has changed: requests within max lateness were counted in it.
     *
     * @param merged its partials merged anew (the full corrected totals)
     * @param revision 1 for the first revision of this window, then 2, ...
     */
    protected abstract void onRevision(long windowStart, WindowPartial merged, int revision);

    /** Every partition reached the end of input; every window up to {@code upTo} has been handed over. */
    protected abstract void onEndOfInput(long upTo);

    protected WindowSpec spec() {
        return spec;
    }
}
