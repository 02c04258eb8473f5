package io.httpmon.windowing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adds up partials of the same window from different partitions. Totals are exact; see {@link #merge}. */
public final class PartialMerger {

    private PartialMerger() {
    }

    /**
     * Merges two partials of one window. Hits, bytes and per-item counts add up exactly; unique hosts stay exact
     * while the union has at most {@link PartialWindowProcessor#EXACT_HOSTS} hosts, and become a HyperLogLog
     * estimate beyond.
     */
    public static WindowPartial merge(WindowPartial a, WindowPartial b) {
        if (a == null) {
            return b;
        }
        Map<String, Map<String, Long>> top = new HashMap<>();
        addAll(top, a.top());
        addAll(top, b.top());
        List<String> hosts = null;
        byte[] sketch = null;
        if (a.hostSketch() == null && b.hostSketch() == null) {
            java.util.LinkedHashSet<String> union = new java.util.LinkedHashSet<>();
            if (a.hosts() != null) {
                union.addAll(a.hosts());
            }
            if (b.hosts() != null) {
                union.addAll(b.hosts());
            }
            if (union.size() <= PartialWindowProcessor.EXACT_HOSTS) {
                hosts = new ArrayList<>(union);
            }
        }
        if (hosts == null) {
            HyperLogLog hll = new HyperLogLog();
            for (WindowPartial p : List.of(a, b)) {
                if (p.hostSketch() != null) {
                    hll.merge(p.hostSketch());
                }
                if (p.hosts() != null) {
                    p.hosts().forEach(hll::add);
                }
            }
            sketch = hll.registers();
        }
        return new WindowPartial(-1, a.windowStart(), Math.max(a.closedUpTo(), b.closedUpTo()), false,
                a.late() + b.late(), a.future() + b.future(), Math.max(a.lateness(), b.lateness()), a.hits() + b.hits(), a.bytes() + b.bytes(), top, null, hosts, sketch);
    }

    /** Distinct hosts of a merged window: exact, or the sketch's estimate. */
    public static long uniqueHosts(WindowPartial p) {
        if (p.hostSketch() != null) {
            return new HyperLogLog(p.hostSketch()).estimate();
        }
        return p.hosts() == null ? 0 : p.hosts().size();
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
