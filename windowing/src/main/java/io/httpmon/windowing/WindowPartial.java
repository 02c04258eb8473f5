package io.httpmon.windowing;

import io.httpmon.common.model.SourceCounts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one partition knows about one window (stage one of the two-stage aggregation), or only how far its clock
 * has got. Written to the stage's internal repartition topic; merged by {@link MergeProcessor}.
 *
 * @param sourcePartition the requests partition it summarises: partition p ...
 * @param partitions ... of n, so the merging task knows how many partials make a window whole
 * @param windowStart the window, or null for a progress-only record
 * @param closedUpTo every window of this partition ending at or before this time is final
 * @param endOfInput this partition has seen the end-of-input marker of every upstream partition
 * @param empty this partition has had no request yet and every upstream partition is idle: nothing here holds the
 *     others' windows back (progress only)
 * @param late records that came after their window was gone, since the previous partial
 * @param future requests the parser turned away as stamped too far ahead of the reader's clock, since the previous
 *     partial
 * @param lateness the largest lateness (clock minus request time, ms) of a request that came after its window's
 *     grace, since the previous partial
 * @param hits requests in the window
 * @param sum the window's sum (see {@link WindowCounter.Tally#sum})
 * @param top per dimension name, the most frequent items with their counts (at most {@link PartialWindowProcessor#TOP_K})
 * @param distinct the window's distinct items as text, from an older writer (this one writes {@code distinctHashes})
 * @param distinctSketch a HyperLogLog of them, when there are more than {@link PartialWindowProcessor#EXACT_DISTINCT}
 * @param deadLetters lines that were not requests, in the batches since the previous partial
 * @param expiredUpTo this partition has dropped the windows before this time (it counts no request in them any
 *     more), so the merging task may drop them too; null from a writer that does not say (the merge then assumes
 *     max lateness behind the partition's progress)
 * @param sources per source, its hits in the window and its late requests and dead letters since the previous
 *     partial; empty when no record named a source
 * @param endedSources with {@code endOfInput}: the sources whose end of input ended this partition's input (their
 *     ids; "" for records that name none); else empty
 * @param readUpTo per source, how far its reader had read (its clock) in what this partition had processed when
 *     it sent this: the newest read time or heartbeat of that source here, so the progress rests on nothing read
 *     later; on an {@code empty} partial, the oldest of the source's latest heartbeats through each upstream
 *     partition, so the first request it gets later was read after that. Empty from a writer that does not say
 * @param distinctHashes the window's distinct items, when there are at most {@link PartialWindowProcessor#EXACT_DISTINCT}:
 *     their {@link ItemHash}es, 8 bytes each (big-endian); null when none or a sketch
 */
public record WindowPartial(
        int sourcePartition,
        int partitions,
        Long windowStart,
        long closedUpTo,
        boolean endOfInput,
        boolean empty,
        long late,
        long future,
        long lateness,
        long hits,
        long sum,
        Map<String, Map<String, Long>> top,
        List<String> distinct,
        byte[] distinctSketch,
        long deadLetters,
        Long expiredUpTo,
        Map<String, SourceCounts> sources,
        List<String> endedSources,
        Map<String, Long> readUpTo,
        byte[] distinctHashes) {

    public WindowPartial {
        sources = sources == null ? Map.of() : sources;
        endedSources = endedSources == null ? List.of() : endedSources;
        readUpTo = readUpTo == null ? Map.of() : readUpTo;
    }

    /** A partial that does not say how far its partition had read (see {@link #readUpTo}). */
    public WindowPartial(
            int sourcePartition,
            int partitions,
            Long windowStart,
            long closedUpTo,
            boolean endOfInput,
            boolean empty,
            long late,
            long future,
            long lateness,
            long hits,
            long sum,
            Map<String, Map<String, Long>> top,
            List<String> distinct,
            byte[] distinctSketch,
            long deadLetters,
            Long expiredUpTo,
            Map<String, SourceCounts> sources,
            List<String> endedSources) {
        this(
                sourcePartition,
                partitions,
                windowStart,
                closedUpTo,
                endOfInput,
                empty,
                late,
                future,
                lateness,
                hits,
                sum,
                top,
                distinct,
                distinctSketch,
                deadLetters,
                expiredUpTo,
                sources,
                endedSources,
                Map.of(),
                null);
    }

    /** How far partition p of n has closed, with no window in it. */
    static WindowPartial progress(
            int partition,
            int partitions,
            long closedUpTo,
            boolean endOfInput,
            boolean empty,
            Stragglers stragglers,
            Long expiredUpTo) {
        return new WindowPartial(
                partition,
                partitions,
                null,
                closedUpTo,
                endOfInput,
                empty,
                stragglers.late(),
                stragglers.future(),
                stragglers.lateness(),
                0,
                0,
                null,
                null,
                null,
                stragglers.deadLetters(),
                expiredUpTo,
                stragglers.bySource(),
                List.of());
    }

    /**
     * The same, with what its partition says of the sources: which ended (see {@link #endedSources}) and how far
     * each had read (see {@link #readUpTo}).
     */
    WindowPartial withSources(List<String> ended, Map<String, Long> readAt) {
        return new WindowPartial(
                sourcePartition,
                partitions,
                windowStart,
                closedUpTo,
                endOfInput,
                empty,
                late,
                future,
                lateness,
                hits,
                sum,
                top,
                distinct,
                distinctSketch,
                deadLetters,
                expiredUpTo,
                sources,
                ended,
                readAt,
                distinctHashes);
    }

    /** The window's distinct items as hashes: {@link #distinctHashes} and those an older writer sent as text. */
    LongSet distinctItems() {
        int hashes = distinctHashes == null ? 0 : distinctHashes.length / 8;
        LongSet items = new LongSet(hashes + (distinct == null ? 0 : distinct.size()));
        if (distinctHashes != null) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(distinctHashes);
            for (int i = 0; i < hashes; i++) {
                items.add(in.getLong());
            }
        }
        if (distinct != null) {
            distinct.forEach(item -> items.add(ItemHash.of(item)));
        }
        return items;
    }

    /** {@code hashes} as {@link #distinctHashes} holds them. */
    static byte[] pack(long[] hashes) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 * hashes.length);
        for (long hash : hashes) {
            out.putLong(hash);
        }
        return out.array();
    }

    /**
     * The counts of {@code dimension}'s items, decoded: every item for a complete dimension, the most frequent ones
     * otherwise; empty when the window has none.
     */
    public <T> Map<T, Long> items(Dimension<T> dimension) {
        Map<String, Long> stored = top == null ? null : top.get(dimension.name());
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        Map<T, Long> items = new LinkedHashMap<>(stored.size() * 2);
        stored.forEach((item, count) -> items.merge(dimension.decode().apply(item), count, Long::sum));
        return items;
    }

    /** The late and future requests this partial reports. */
    Stragglers stragglers() {
        Map<String, SourceCounts> bySource = new HashMap<>();
        sources.forEach((source, counts) -> {
            if (counts.late() > 0 || counts.deadLetters() > 0) {
                bySource.put(source, new SourceCounts(0, counts.late(), counts.deadLetters()));
            }
        });
        return new Stragglers(late, future, lateness, deadLetters, bySource);
    }
}
