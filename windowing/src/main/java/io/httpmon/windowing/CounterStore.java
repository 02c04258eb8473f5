package io.httpmon.windowing;

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

    private final Map<Bytes, long[]> pending = new HashMap<>();

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

    /** Writes the pending increments to the underlying store. */
    void drain() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Bytes, long[]> e : pending.entrySet()) {
            Long old = inner.get(e.getKey());
            inner.put(e.getKey(), old == null ? e.getValue()[0] : old + e.getValue()[0]);
        }
        pending.clear();
    }

    public Long get(Bytes key) {
        Long stored = inner.get(key);
        long[] sum = pending.get(key);
        if (sum == null) {
            return stored;
        }
        return stored == null ? sum[0] : stored + sum[0];
    }

    public void put(Bytes key, Long value) {
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
    }

    /** Builds a {@link CounterStore} around what {@code inner} builds (a changelogged key-value store). */
    static StoreBuilder<CounterStore> builder(StoreBuilder<KeyValueStore<Bytes, Long>> inner) {
        return new WrappingStoreBuilder<>(inner, CounterStore::new);
    }
}
