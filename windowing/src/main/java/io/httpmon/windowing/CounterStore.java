package io.httpmon.windowing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one's counters, one per window, dimension and item, over a changelogged key-value store of Kafka Streams.
 * The increments of one batch of requests add up in per-window hash maps keyed by the strings the requests already
 * have (no key is encoded per request) and are written to the store once per counter at the end of the batch
 * ({@link #save}, before the processor returns; see {@link Windowing}): one store write and changelog record per
 * counter per batch (of ~500 requests), not per request.
 *
 * <p>The items of a {@link Dimension#complete complete} dimension are kept together instead, one record per window
 * and dimension in a store of their own ({@link PackedCounts}): every one of them goes into the window's partial
 * anyway, and such a dimension may have a new item every other request (the alerts' clients: a store write, a
 * delete and two changelog records per request when each was a counter of its own).
 */
final class CounterStore {

    /** What a scan hands over: one counter. */
    interface Visitor {
        void counter(long window, byte dimension, String item, long count);
    }

    /** Increments not yet written, by window, then dimension code, then item. */
    private final Map<Long, WindowCounters> pending = new HashMap<>();

    private WindowCounters last;

    private final KeyValueStore<CounterKey, Long> inner;
    /** The complete dimensions' counters, one record per window and dimension; null when there are none. */
    private final KeyValueStore<Bytes, byte[]> packed;

    private final boolean[] packs = new boolean[128];

    CounterStore(KeyValueStore<CounterKey, Long> inner) {
        this(inner, null, List.of());
    }

    /** @param packedDimensions the codes of the dimensions whose items {@code packed} keeps together */
    CounterStore(
            KeyValueStore<CounterKey, Long> inner, KeyValueStore<Bytes, byte[]> packed, List<Byte> packedDimensions) {
        this.inner = inner;
        this.packed = packed;
        if (packed != null) {
            packedDimensions.forEach(code -> packs[code] = true);
        }
    }

    /** Adds {@code delta} to the counter of {@code item} in {@code dimension} of {@code window}. */
    void increment(long window, byte dimension, String item, long delta) {
        WindowCounters w = last;
        if (w == null || w.window != window) {
            w = pending.computeIfAbsent(window, WindowCounters::new);
            last = w;
        }
        Map<String, long[]> items = w.byDimension[dimension];
        if (items == null) {
            items = new HashMap<>();
            w.byDimension[dimension] = items;
        }
        long[] sum = items.get(item);
        if (sum == null) {
            items.put(item, new long[] {delta});
        } else {
            sum[0] += delta;
        }
    }

    /** Visits every counter of the windows starting from {@code from} up to, not including, {@code to}, in order. */
    void scan(long from, long to, Visitor visitor) {
        save();
        // The packed windows of the range, each visited with its own counters (a window's packed items after them).
        TreeMap<Long, Map<Byte, Map<String, long[]>>> packedWindows = new TreeMap<>();
        if (packed != null) {
            try (KeyValueIterator<Bytes, byte[]> it = packed.range(packedKey(from, 0), packedKey(to, 0))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    WindowKey key = WindowKey.of(kv.key);
                    if (key.window() < to) {
                        packedWindows
                                .computeIfAbsent(key.window(), w -> new TreeMap<>())
                                .put((byte) key.index(), PackedCounts.decode(kv.value));
                    }
                }
            }
        }
        try (KeyValueIterator<CounterKey, Long> it = inner.range(CounterKey.first(from), CounterKey.first(to))) {
            while (it.hasNext()) {
                KeyValue<CounterKey, Long> kv = it.next();
                long window = kv.key.window();
                if (window >= to) {
                    continue;
                }
                visitPackedBefore(packedWindows, window, visitor);
                Map<Byte, Map<String, long[]>> sameWindow = packedWindows.get(window);
                Map<String, long[]> items = sameWindow == null ? null : sameWindow.get(kv.key.dimension());
                if (items != null) {
                    // a counter of its own left by a version that did not pack: added to the packed one
                    items.computeIfAbsent(kv.key.item(), i -> new long[1])[0] += kv.value;
                } else if (kv.key.dimension() < packs.length
                        && kv.key.dimension() >= 0
                        && packs[kv.key.dimension()]
                        && packed != null) {
                    packedWindows
                            .computeIfAbsent(window, w -> new TreeMap<>())
                            .computeIfAbsent(kv.key.dimension(), d -> new HashMap<>())
                            .put(kv.key.item(), new long[] {kv.value});
                } else {
                    visitor.counter(window, kv.key.dimension(), kv.key.item(), kv.value);
                }
            }
        }
        visitPackedBefore(packedWindows, Long.MAX_VALUE, visitor);
    }

    /** Visits, in window order, the packed counters of the windows before {@code window} (not the ones of it). */
    private static void visitPackedBefore(
            TreeMap<Long, Map<Byte, Map<String, long[]>>> packedWindows, long window, Visitor visitor) {
        while (!packedWindows.isEmpty() && packedWindows.firstKey() < window) {
            Map.Entry<Long, Map<Byte, Map<String, long[]>>> first = packedWindows.pollFirstEntry();
            first.getValue()
                    .forEach((dimension, items) ->
                            items.forEach((item, count) -> visitor.counter(first.getKey(), dimension, item, count[0])));
        }
    }

    /** Deletes the counters of the windows starting from {@code from} up to, not including, {@code to}. */
    void delete(long from, long to) {
        save();
        List<CounterKey> keys = new ArrayList<>();
        try (KeyValueIterator<CounterKey, Long> it = inner.range(CounterKey.first(from), CounterKey.first(to))) {
            it.forEachRemaining(kv -> {
                if (kv.key.window() < to) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(inner::delete);
        if (packed != null) {
            List<Bytes> packedKeys = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = packed.range(packedKey(from, 0), packedKey(to, 0))) {
                it.forEachRemaining(kv -> {
                    if (WindowKey.of(kv.key).window() < to) {
                        packedKeys.add(kv.key);
                    }
                });
            }
            packedKeys.forEach(packed::delete);
        }
    }

    private static Bytes packedKey(long window, int dimension) {
        return new WindowKey(window, dimension).bytes();
    }

    /** Writes the pending increments to the store. */
    void save() {
        for (WindowCounters w : pending.values()) {
            for (int d = 0; d < w.byDimension.length; d++) {
                if (w.byDimension[d] != null && packs[d]) {
                    Bytes key = packedKey(w.window, d);
                    byte[] old = packed.get(key);
                    Map<String, long[]> items = old == null ? w.byDimension[d] : PackedCounts.decode(old);
                    if (old != null) {
                        w.byDimension[d].forEach(
                                (item, delta) -> items.computeIfAbsent(item, i -> new long[1])[0] += delta[0]);
                    }
                    packed.put(key, PackedCounts.encode(items));
                } else if (w.byDimension[d] != null) {
                    for (Map.Entry<String, long[]> e : w.byDimension[d].entrySet()) {
                        CounterKey key = new CounterKey(w.window, (byte) d, e.getKey());
                        Long old = inner.get(key);
                        inner.put(key, old == null ? e.getValue()[0] : old + e.getValue()[0]);
                    }
                }
            }
        }
        pending.clear();
        last = null;
    }

    /** A window's increments since the last save. */
    private static final class WindowCounters {
        final long window;

        @SuppressWarnings("unchecked")
        final Map<String, long[]>[] byDimension = new Map[128];

        WindowCounters(long window) {
            this.window = window;
        }
    }
}
