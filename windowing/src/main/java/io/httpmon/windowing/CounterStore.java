package io.httpmon.windowing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A counter store that adds up increments in a plain hash map and writes them to the underlying changelogged store
 * before the task's transaction commits (see {@link BufferedStore}), and before anything reads more than one key.
 * A counter bumped by a thousand requests between two commits costs one store write and one changelog record
 * instead of a thousand.
 */
final class CounterStore extends BufferedStore<Long> {

    /** First byte of a window counter's key: 'W', the window start (sign flipped), the dimension, the item. */
    static final byte WINDOW = 'W';

    private final Map<Bytes, long[]> pending = new HashMap<>();

    /**
     * Window counters not yet written, by window, then dimension code, then item: a request's increments cost a
     * hash lookup on strings it already has, not a key encoded for each (the keys are built once per counter at
     * {@link #drain}).
     */
    private final Map<Long, WindowCounters> counters = new HashMap<>();
    private WindowCounters lastCounters;

    CounterStore(KeyValueStore<Bytes, Long> inner) {
        super(inner);
    }

    /** Adds {@code delta} to the counter at {@code key}. */
    void increment(Bytes key, long delta) {
        long[] sum = pending.get(key);
        if (sum == null) {
            pending.put(key, new long[] {delta});
        } else {
            sum[0] += delta;
        }
    }

    /** Adds {@code delta} to the counter of {@code item} in {@code dimension} of {@code window}. */
    void increment(long window, byte dimension, String item, long delta) {
        WindowCounters w = lastCounters;
        if (w == null || w.window != window) {
            w = counters.computeIfAbsent(window, WindowCounters::new);
            lastCounters = w;
        }
        Map<String, long[]> items = w.byDimension[dimension & 0x7f];
        if (items == null) {
            items = new HashMap<>();
            w.byDimension[dimension & 0x7f] = items;
        }
        long[] sum = items.get(item);
        if (sum == null) {
            items.put(item, new long[] {delta});
        } else {
            sum[0] += delta;
        }
    }

    /** The key of a window counter in the underlying store; windows sort by start. */
    static Bytes counterKey(long window, byte dimension, String item) {
        byte[] text = item.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(10 + text.length).put(WINDOW).putLong(window ^ Long.MIN_VALUE)
                .put(dimension).put(text).array());
    }

    /** Writes the pending increments to the underlying store. */
    void drain() {
        for (WindowCounters w : counters.values()) {
            for (int d = 0; d < w.byDimension.length; d++) {
                if (w.byDimension[d] != null) {
                    for (Map.Entry<String, long[]> e : w.byDimension[d].entrySet()) {
                        increment(counterKey(w.window, (byte) d, e.getKey()), e.getValue()[0]);
                    }
                }
            }
        }
        counters.clear();
        lastCounters = null;
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Bytes, long[]> e : pending.entrySet()) {
            Long old = inner.get(e.getKey());
            inner.put(e.getKey(), old == null ? e.getValue()[0] : old + e.getValue()[0]);
        }
        pending.clear();
    }

    /** A window's counters since the last drain. */
    private static final class WindowCounters {
        final long window;
        @SuppressWarnings("unchecked")
        final Map<String, long[]>[] byDimension = new Map[128];

        WindowCounters(long window) {
            this.window = window;
        }
    }

    public Long get(Bytes key) {
        if (!counters.isEmpty() && key.get().length > 0 && key.get()[0] == WINDOW) {
            drain();
        }
        Long stored = inner.get(key);
        long[] sum = pending.get(key);
        if (sum == null) {
            return stored;
        }
        return stored == null ? sum[0] : stored + sum[0];
    }

    public void put(Bytes key, Long value) {
        if (!counters.isEmpty() && key.get().length > 0 && key.get()[0] == WINDOW) {
            drain();
        }
        pending.remove(key);
        inner.put(key, value);
    }

    public Long delete(Bytes key) {
        drain();
        return inner.delete(key);
    }

    public KeyValueIterator<Bytes, Long> range(Bytes from, Bytes to) {
        drain();
        return inner.range(from, to);
    }

    @Override
    void save() {
        drain();
    }

    @Override
    void discard() {
        pending.clear();
        counters.clear();
        lastCounters = null;
    }

    /** Builds a {@link CounterStore} around what {@code inner} builds (a changelogged key-value store). */
    static StoreBuilder<CounterStore> builder(StoreBuilder<KeyValueStore<Bytes, Long>> inner) {
        return new WrappingStoreBuilder<>(inner, CounterStore::new);
    }
}
