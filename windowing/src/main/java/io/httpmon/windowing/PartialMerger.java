package io.httpmon.windowing;

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
        if (a == null) {
            return b;
        }
        Map<String, Map<String, Long>> top = new HashMap<>();
        addAll(top, a.top());
        addAll(top, b.top());
        byte[] hashes = null;
        byte[] sketch = null;
        if (a.distinctSketch() == null && b.distinctSketch() == null) {
            LongSet union = a.distinctItems();
            b.distinctItems().forEach(union::add);
            if (union.size() <= PartialWindowProcessor.EXACT_DISTINCT) {
                hashes = WindowPartial.pack(union.toArray());
            }
        }
        if (hashes == null) {
            HyperLogLog hll = new HyperLogLog();
            for (WindowPartial p : List.of(a, b)) {
                if (p.distinctSketch() != null) {
                    hll.merge(p.distinctSketch());
                }
                p.distinctItems().forEach(hll::add);
            }
            sketch = hll.bytes();
        }
        return new WindowPartial(
                -1,
                Math.max(a.partitions(), b.partitions()),
                a.windowStart(),
                Math.max(a.closedUpTo(), b.closedUpTo()),
                false,
                false,
                a.late() + b.late(),
                a.future() + b.future(),
                Math.max(a.lateness(), b.lateness()),
                a.hits() + b.hits(),
                a.sum() + b.sum(),
                top,
                null,
                sketch,
                a.deadLetters() + b.deadLetters(),
                null,
                SourceMaps.sum(a.sources(), b.sources()),
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
