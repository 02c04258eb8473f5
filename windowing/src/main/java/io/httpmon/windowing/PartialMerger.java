package io.httpmon.windowing;

import io.httpmon.common.model.SourceCounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adds up partials of the same window from different partitions. Totals are exact; see {@link #merge}. */
public final class PartialMerger {

    private PartialMerger() {}

    /**
     * Merges two partials of one window. Hits, sums and per-item counts add up exactly; distinct items stay exact
     * while the union has at most {@link PartialWindowProcessor#EXACT_DISTINCT}, and become a HyperLogLog estimate
     * beyond.
     */
    public static WindowPartial merge(WindowPartial a, WindowPartial b) {
        return a == null ? b : mergeAll(List.of(a, b));
    }

    /**
     * Merges partials of one window at once, as {@link #merge} would one after the other: each item map and the
     * distinct set is built once, not copied again for every partial added (a window of six partitions copied the
     * alerts' clients five times, and packed and unpacked the stats' distinct hosts as often). A single partial is
     * returned as it is; null for none.
     */
    public static WindowPartial mergeAll(List<WindowPartial> partials) {
        if (partials.isEmpty()) {
            return null;
        }
        WindowPartial first = partials.get(0);
        if (partials.size() == 1) {
            return first;
        }
        Map<String, Map<String, Long>> top = new HashMap<>();
        boolean sketched = false;
        int partitions = 0;
        long closedUpTo = Long.MIN_VALUE;
        long late = 0;
        long future = 0;
        long lateness = Long.MIN_VALUE;
        long hits = 0;
        long sum = 0;
        long deadLetters = 0;
        Map<String, SourceCounts> sources = Map.of();
        for (WindowPartial p : partials) {
            addAll(top, p.top());
            sketched |= p.distinctSketch() != null;
            partitions = Math.max(partitions, p.partitions());
            closedUpTo = Math.max(closedUpTo, p.closedUpTo());
            late += p.late();
            future += p.future();
            lateness = Math.max(lateness, p.lateness());
            hits += p.hits();
            sum += p.sum();
            deadLetters += p.deadLetters();
            sources = SourceMaps.sum(sources, p.sources());
        }
        byte[] hashes = null;
        byte[] sketch = null;
        if (!sketched) {
            LongSet union = first.distinctItems();
            for (int i = 1; i < partials.size(); i++) {
                partials.get(i).distinctItems().forEach(union::add);
            }
            if (union.size() <= PartialWindowProcessor.EXACT_DISTINCT) {
                hashes = WindowPartial.pack(union.toArray());
            }
        }
        if (hashes == null) {
            HyperLogLog hll = new HyperLogLog();
            for (WindowPartial p : partials) {
                if (p.distinctSketch() != null) {
                    hll.merge(p.distinctSketch());
                }
                p.distinctItems().forEach(hll::add);
            }
            sketch = hll.bytes();
        }
        return new WindowPartial(
                -1,
                partitions,
                first.windowStart(),
                closedUpTo,
                false,
                false,
                late,
                future,
                lateness,
                hits,
                sum,
                top,
                null,
                sketch,
                deadLetters,
                null,
                sources,
                List.of(),
                Map.of(),
                hashes);
    }

    /** The number of distinct items of a merged window: exact, or the sketch's estimate. */
    public static long distinctCount(WindowPartial p) {
        if (p.distinctSketch() != null) {
            return new HyperLogLog(p.distinctSketch()).estimate();
        }
        if (p.distinct() == null) {
            return p.distinctHashes() == null ? 0 : p.distinctHashes().length / 8; // a set's hashes: each once
        }
        return p.distinctItems().size();
    }

    private static void addAll(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> from) {
        if (from == null) {
            return;
        }
        from.forEach((dimension, items) -> {
            Map<String, Long> target = into.computeIfAbsent(dimension, d -> new HashMap<>());
            items.forEach((item, count) -> target.merge(item, count, Long::sum));
        });
    }
}
