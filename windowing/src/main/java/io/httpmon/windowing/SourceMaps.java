package io.httpmon.windowing;

import io.httpmon.common.model.SourceCounts;
import java.util.HashMap;
import java.util.Map;

/** Per-source figures added up (window partials of several partitions, stragglers of several partials). */
final class SourceMaps {

    private SourceMaps() {}

    /** {@code a} and {@code b} added key by key; either may be null or empty. */
    static Map<String, SourceCounts> sum(Map<String, SourceCounts> a, Map<String, SourceCounts> b) {
        if (a == null || a.isEmpty()) {
            return b == null ? Map.of() : b;
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        Map<String, SourceCounts> sum = new HashMap<>(a);
        b.forEach((source, counts) -> sum.merge(source, counts, SourceCounts::plus));
        return sum;
    }
}
