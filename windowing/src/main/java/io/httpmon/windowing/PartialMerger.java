package io.httpmon.windowing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
        List<String> distinct = null;
        byte[] sketch = null;
        if (a.distinctSketch() == null && b.distinctSketch() == null) {
            LinkedHashSet<String> union = new LinkedHashSet<>();
            if (a.distinct() != null) {
                union.addAll(a.distinct());
            }
            if (b.distinct() != null) {
                union.addAll(b.distinct());
            }
            if (union.size() <= PartialWindowProcessor.EXACT_DISTINCT) {
                distinct = new ArrayList<>(union);
            }
        }
        if (distinct == null) {
            HyperLogLog hll = new HyperLogLog();
            for (WindowPartial p : List.of(a, b)) {
                if (p.distinctSketch() != null) {
                    hll.merge(p.distinctSketch());
                }
                if (p.distinct() != null) {
                    p.distinct().forEach(hll::add);
                }
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
                distinct,
                sketch,
                a.deadLetters() + b.deadLetters(),
                null,
                SourceMaps.sum(a.sources(), b.sources()),
                List.of());
    }

    /** The number of distinct items of a merged window: exact, or the sketch's estimate. */
    public static long distinctCount(WindowPartial p) {
        if (p.distinctSketch() != null) {
            return new HyperLogLog(p.distinctSketch()).estimate();
        }
        return p.distinct() == null ? 0 : p.distinct().size();
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
