package io.httpmon.windowing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ordering and selection of the most frequent items: by count, then by name so that ties are deterministic. */
public final class TopItems {

    /** Least frequent first (the head of a bounded min-heap is the one to drop). */
    static final Comparator<Map.Entry<String, Long>> ASCENDING = Comparator.<Map.Entry<String, Long>>comparingLong(
                    Map.Entry::getValue)
            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());

    /** Most frequent first. */
    public static final Comparator<Map.Entry<String, Long>> DESCENDING = ASCENDING.reversed();

    private TopItems() {}

    /** The {@code n} most frequent entries, most frequent first, as an ordered map. */
    public static Map<String, Long> top(Map<String, Long> counts, int n) {
        return toMap(counts.entrySet().stream().sorted(DESCENDING).limit(n).toList());
    }

    static Map<String, Long> toMap(Collection<Map.Entry<String, Long>> entries) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(entries);
        sorted.sort(DESCENDING);
        Map<String, Long> map = new LinkedHashMap<>();
        sorted.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}
