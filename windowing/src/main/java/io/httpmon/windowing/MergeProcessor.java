package io.httpmon.windowing;

import java.util.Collections;
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
 */
public abstract class MergeProcessor<VOut> implements Processor<String, WindowPartial, String, VOut> {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MergeProcessor.class);
    private static final String STATE_KEY = "state";

    private final WindowSpec spec;
    private final String name;
    private final int partitions;

    protected ProcessorContext<String, VOut> context;
    private KeyValueStore<String, MergeState> store;
    private KeyValueStore<Long, WindowPartial> pending;

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
        if (partial.windowStart() != null) {
            long window = partial.windowStart();
            pending.put(window, PartialMerger.merge(pending.get(window), partial));
            if (state.nextEmit == null || window < state.nextEmit) {
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
        if (state.nextEmit != null && finalUpTo != Long.MIN_VALUE) {
            handOver(state, spec.startOf(finalUpTo - spec.sizeMs()) + spec.sizeMs());
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
            Stragglers stragglers = new Stragglers(state.late, state.future);
            state.late = 0;
            state.future = 0;
            if (data != null && data.longValue() == next) {
                onWindow(next, pending.delete(next), stragglers);
                next += spec.sizeMs();
            } else {
                long end = data != null ? data : before;
                onQuiet(next, end, stragglers);
                next = end;
            }
        }
        state.nextEmit = next;
    }

    /** The earliest window with data from {@code from} to {@code to} (starts, inclusive), or null. */
    private Long firstPending(long from, long to) {
        // Window starts are not negative (the parser takes no time before 1970), so the Long serde's big-endian
        // bytes sort as the numbers do.
        try (KeyValueIterator<Long, WindowPartial> it = pending.range(from, to)) {
            return it.hasNext() ? it.next().key : null;
        }
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

    /** Every partition reached the end of input; every window up to {@code upTo} has been handed over. */
    protected abstract void onEndOfInput(long upTo);

    protected WindowSpec spec() {
        return spec;
    }
}
