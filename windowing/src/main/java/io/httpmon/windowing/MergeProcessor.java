package io.httpmon.windowing;

import java.util.Collections;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage two of the two-stage aggregation, in a single task: merges the partials of every {@code requests}
 * partition and hands each window, in order, to {@link #onWindow} once it is final everywhere: when every
 * partition has closed past its end. Windows without any request are handed over too (with a null partial), so
 * time without traffic is reported. When every partition has reached the end of input, every remaining window is
 * final, then {@link #onEndOfInput} is called.
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
        if (state.nextEmit != null) {
            while (state.nextEmit + spec.sizeMs() <= finalUpTo) {
                long window = state.nextEmit;
                onWindow(window, pending.delete(window), state.late);
                state.late = 0;
                state.nextEmit = window + spec.sizeMs();
            }
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

    /**
     * A window is final.
     *
     * @param windowStart its start, epoch millis
     * @param merged the merged partials, or null when no partition had a request in it
     * @param late requests reported late since the previous window
     */
    protected abstract void onWindow(long windowStart, WindowPartial merged, long late);

    /** Every partition reached the end of input; every window up to {@code upTo} has been handed over. */
    protected abstract void onEndOfInput(long upTo);

    protected WindowSpec spec() {
        return spec;
    }
}
