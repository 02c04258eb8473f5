package io.httpmon.windowing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one's counters, one per window, dimension and item, over a changelogged key-value store of Kafka Streams.
 * The increments of one batch of requests add up in per-window hash maps keyed by the strings the requests already
 * have (no key is encoded per request) and are written to the store once per counter at the end of the batch
 * ({@link #save}, before the processor returns; see {@link Windowing}): one store write and changelog record per
 * counter per batch (of ~500 requests), not per request.
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

    CounterStore(KeyValueStore<CounterKey, Long> inner) {
        this.inner = inner;
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
        try (KeyValueIterator<CounterKey, Long> it = inner.range(CounterKey.first(from), CounterKey.first(to))) {
            while (it.hasNext()) {
                KeyValue<CounterKey, Long> kv = it.next();
                if (kv.key.window() < to) {
                    visitor.counter(kv.key.window(), kv.key.dimension(), kv.key.item(), kv.value);
                }
            }
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
    }

    /** Writes the pending increments to the store. */
    void save() {
        for (WindowCounters w : pending.values()) {
            for (int d = 0; d < w.byDimension.length; d++) {
                if (w.byDimension[d] != null) {
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
