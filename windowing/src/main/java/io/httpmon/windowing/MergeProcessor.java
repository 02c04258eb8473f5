package io.httpmon.windowing;

import io.httpmon.common.Times;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage two of the two-stage aggregation, in a single task: merges the partials of every {@code requests}
 * partition (each says it is partition p of n) and hands each window with requests, in order, to the
 * {@link WindowSink} once it is final everywhere: when every partition has closed past its end. Each run of windows
 * without any request between them is handed over as one span ({@link WindowSink#onQuiet}), so time without
 * traffic is reported and the cost follows the windows with data, never the length of a gap (a log that jumps a
 * year costs one call). When every partition has reached the end of input, every remaining window is final.
 *
 * <p>With a max lateness beyond grace ({@link WindowSpec#revises()}), each partition's partial of a window is kept
 * until every partition is past the window's max lateness; a partition that counts a late request in a window
 * already handed over sends its partial again, and the window is handed over once more, merged anew: at most once
 * per window each time the merged progress moves on, never once per request.
 */
public final class MergeProcessor implements Processor<String, WindowPartial, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(MergeProcessor.class);
    private static final String STATE_KEY = "state";
    private static final WindowPartialSerde PARTIAL = new WindowPartialSerde();

    private final Aggregation aggregation;
    private final WindowSpec spec;
    private final WindowSink sink;
    private final Set<String> outputs;

    private KeyValueStore<String, MergeState> store;
    /** Partials by (window, partition), as JSON: read back only to be merged, never to find or drop keys. */
    private KeyValueStore<Bytes, byte[]> pending;
    /**
     * Windows handed over already that a partition sent again since. Not saved: after a crash the partials that
     * made them dirty are processed again.
     */
    private final TreeSet<Long> dirty = new TreeSet<>();

    private final ReplayStateLost.Starts starts;

    private org.apache.kafka.streams.processor.TaskId taskId;

    /** @param outputs the sink's outputs, each a child node of this processor (see {@link WindowOutput}) */
    public MergeProcessor(Aggregation aggregation, WindowSink sink, List<WindowOutput<?>> outputs) {
        this(aggregation, sink, outputs, null);
    }

    /** @param starts its task's starts, for a topology whose state is thrown away ({@link Durability}); or null */
    MergeProcessor(
            Aggregation aggregation, WindowSink sink, List<WindowOutput<?>> outputs, ReplayStateLost.Starts starts) {
        this.starts = starts;
        this.aggregation = aggregation;
        this.spec = aggregation.spec();
        this.sink = sink;
        this.outputs = outputs.stream().map(WindowOutput::node).collect(Collectors.toSet());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        if (starts != null) {
            starts.init(context.taskId());
        }
        this.taskId = context.taskId();
        this.store = context.getStateStore(aggregation.mergeStore());
        this.pending = context.getStateStore(aggregation.pendingStore());
        dirty.clear();
        sink.init(new WindowSink.Context() {
            @Override
            public <V> void send(WindowOutput<V> output, Record<String, V> record) {
                if (!outputs.contains(output.node())) {
                    throw new IllegalArgumentException("not an output of " + aggregation.name() + ": " + output);
                }
                context.forward(record, output.node());
            }

            @Override
            public <S extends StateStore> S getStateStore(String name) {
                return context.getStateStore(name);
            }

            @Override
            public long currentSystemTimeMs() {
                return context.currentSystemTimeMs();
            }
        });
    }

    @Override
    public void process(Record<String, WindowPartial> record) {
        if (starts != null) {
            starts.processing(taskId); // one set lookup a record (a batch of requests, a partial)
        }
        WindowPartial partial = record.value();
        if (partial == null) {
            return;
        }
        MergeState saved = store.get(STATE_KEY);
        Step step = new Step(saved != null ? saved : MergeState.START);
        int source = partial.sourcePartition();
        step.partitions = Math.max(step.partitions, partial.partitions());
        if (partial.empty()) {
            if (!step.closedUpTo.containsKey(source)) {
                step.empty.add(source);
            }
        } else {
            step.closedUpTo.merge(source, partial.closedUpTo(), Math::max);
            step.empty.remove(source);
        }
        if (!partial.readUpTo().isEmpty()) {
            step.readUpTo.put(source, partial.readUpTo());
        }
        step.stragglers = step.stragglers.plus(partial.stragglers());
        if (partial.expiredUpTo() != null) {
            step.expiredUpTo.merge(source, partial.expiredUpTo(), Math::max);
        }
        Long window = partial.windowStart();
        if (window != null && step.retainedFrom != null && window < step.retainedFrom) {
            log.warn(
                    "Partition {} sent window {} again after every partition was past its max lateness; ignored",
                    source,
                    Times.iso(window));
        } else if (window != null) {
            pending.put(key(window, source), PARTIAL.serialize(null, partial));
            if (step.started && window < step.nextEmit) {
                dirty.add(window); // handed over already: a revision
            } else if (step.nextEmit == null || window < step.nextEmit) {
                step.nextEmit = window;
            }
        }
        if (partial.endOfInput()) {
            step.ended.add(source);
            step.endedSources.addAll(partial.endedSources());
        }
        boolean allEnded = step.ended.size() >= step.partitions;
        long closed;
        if (allEnded) {
            closed = step.closedUpTo.values().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(Long.MIN_VALUE);
        } else if (!step.closedUpTo.isEmpty() && step.closedUpTo.size() + step.empty.size() >= step.partitions) {
            closed = Collections.min(step.closedUpTo.values());
            if (!emptyOnesLetPass(step, closed)) {
                closed = step.finalUpTo != null ? step.finalUpTo : Long.MIN_VALUE;
            }
        } else {
            closed = Long.MIN_VALUE;
        }
        long finalUpTo = closed;
        boolean moved = step.finalUpTo == null || finalUpTo > step.finalUpTo;
        if (step.nextEmit != null && finalUpTo != Long.MIN_VALUE) {
            handOver(step, spec.startOf(finalUpTo - spec.sizeMs()) + spec.sizeMs());
        }
        if (moved || allEnded) {
            step.finalUpTo = finalUpTo;
            sendRevisions(step);
            // Every partition is past max lateness for windows ending this far back: none will send them again.
            long pastLateness = finalUpTo == Long.MIN_VALUE
                    ? Long.MIN_VALUE
                    : finalUpTo - (spec.lateMs() - spec.graceMs()) - spec.sizeMs() + 1;
            if (step.expiredUpTo.size() >= step.partitions) {
                // ... unless a partition says it keeps older windows (a silent source holds them there)
                pastLateness = Math.min(pastLateness, Collections.min(step.expiredUpTo.values()));
            }
            dropBefore(step, allEnded ? Long.MAX_VALUE : pastLateness);
        }
        if (allEnded) {
            log.info(
                    "End of input on all {} partitions: every window up to {} is final",
                    step.partitions,
                    Times.iso(finalUpTo));
            sink.onEndOfInput(finalUpTo, new TreeSet<>(step.endedSources));
            step.ended.clear();
            step.endedSources.clear();
            step.closedUpTo.replaceAll((p, upTo) -> finalUpTo);
        }
        store.put(STATE_KEY, step.state());
    }

    /**
     * Whether the partitions that said they are empty let every window up to {@code upTo} be final: a request they
     * get later was read after their latest word, so it cannot be older than progress resting on what was read up
     * to then (a cold start whose parsers join one after another: a request read with those another partition has
     * counted may still be on its way through a slower parser). The progress is that of a partition closed up to
     * {@code upTo}; a partial that does not say what it read holds nothing back (an older writer).
     */
    private static boolean emptyOnesLetPass(Step step, long upTo) {
        if (step.empty.isEmpty()) {
            return true;
        }
        for (Map.Entry<Integer, Long> closed : step.closedUpTo.entrySet()) {
            if (closed.getValue() != upTo) {
                continue;
            }
            Map<String, Long> readThere = step.readUpTo.getOrDefault(closed.getKey(), Map.of());
            boolean passes = true;
            for (Integer empty : step.empty) {
                Map<String, Long> quietSince = step.readUpTo.get(empty);
                if (quietSince == null) {
                    continue; // an older writer: as before
                }
                for (Map.Entry<String, Long> read : readThere.entrySet()) {
                    Long quiet = quietSince.get(read.getKey());
                    if (quiet == null || quiet < read.getValue()) {
                        passes = false;
                    }
                }
            }
            if (passes) {
                return true;
            }
        }
        return false;
    }

    /** Hands over, in order, every window that starts before {@code before}: those with data one by one, gaps whole. */
    private void handOver(Step step, long before) {
        long next = step.nextEmit;
        while (next < before) {
            Long data = firstPending(next, before - 1);
            Stragglers stragglers = step.stragglers;
            step.stragglers = Stragglers.NONE;
            step.started = true;
            if (data != null && data == next) {
                sink.onWindow(next, merged(next, !spec.revises()), stragglers);
                next += spec.sizeMs();
            } else {
                long end = data != null ? data : before;
                sink.onQuiet(next, end, stragglers);
                next = end;
            }
        }
        step.nextEmit = next;
    }

    /** Hands the windows sent again over again, each merged anew from every partition's latest partial. */
    private void sendRevisions(Step step) {
        for (Long window : dirty) {
            int revision = step.revisions.merge(window, 1, Integer::sum);
            sink.onRevision(window, merged(window, false), revision);
        }
        dirty.clear();
    }

    /** Drops the partials of the windows that start before {@code bound} (already handed over). */
    private void dropBefore(Step step, long bound) {
        if (!spec.revises() || step.nextEmit == null) {
            return;
        }
        long upTo = Math.min(bound, step.nextEmit);
        long from = step.retainedFrom != null ? step.retainedFrom : 0;
        if (upTo <= from) {
            return;
        }
        List<Bytes> gone = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(from, 0), key(upTo - 1, Integer.MAX_VALUE))) {
            it.forEachRemaining(kv -> gone.add(kv.key));
        }
        gone.forEach(pending::delete);
        step.revisions.headMap(upTo).clear();
        step.retainedFrom = upTo;
    }

    /** The partials of {@code window} merged; removed from the store when {@code take}. */
    private WindowPartial merged(long window, boolean take) {
        List<WindowPartial> partials = new ArrayList<>();
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(window, 0), key(window, Integer.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                partials.add(PARTIAL.deserialize(null, kv.value));
                keys.add(kv.key);
            }
        }
        if (take) {
            keys.forEach(pending::delete);
        }
        return PartialMerger.mergeAll(partials);
    }

    /** The earliest window with data from {@code from} to {@code to} (starts, inclusive), or null. */
    private Long firstPending(long from, long to) {
        try (KeyValueIterator<Bytes, byte[]> it = pending.range(key(from, 0), key(to, Integer.MAX_VALUE))) {
            return it.hasNext() ? WindowKey.of(it.next().key).window() : null;
        }
    }

    /** Partials sort by window start, then partition. */
    static Bytes key(long window, int partition) {
        return new WindowKey(window, partition).bytes();
    }

    /** The state being worked on while one partial is processed; saved as a {@link MergeState} at its end. */
    private static final class Step {
        int partitions;
        final Map<Integer, Long> closedUpTo;
        final Set<Integer> ended;
        final Set<Integer> empty;
        Long nextEmit;
        Stragglers stragglers;
        boolean started;
        Long finalUpTo;
        final SortedMap<Long, Integer> revisions;
        Long retainedFrom;
        final Map<Integer, Long> expiredUpTo;
        final Set<String> endedSources;
        final Map<Integer, Map<String, Long>> readUpTo;

        Step(MergeState s) {
            partitions = s.partitions();
            closedUpTo = new HashMap<>(s.closedUpTo());
            ended = new HashSet<>(s.ended());
            empty = new HashSet<>(s.empty());
            nextEmit = s.nextEmit();
            stragglers = s.stragglers();
            started = s.started();
            finalUpTo = s.finalUpTo();
            revisions = new TreeMap<>(s.revisions());
            retainedFrom = s.retainedFrom();
            expiredUpTo = new HashMap<>(s.expiredUpTo());
            endedSources = new TreeSet<>(s.endedSources());
            readUpTo = new HashMap<>(s.readUpTo());
        }

        MergeState state() {
            return new MergeState(
                    partitions,
                    closedUpTo,
                    ended,
                    empty,
                    nextEmit,
                    stragglers,
                    started,
                    finalUpTo,
                    revisions,
                    retainedFrom,
                    expiredUpTo,
                    endedSources,
                    readUpTo);
        }
    }
}
