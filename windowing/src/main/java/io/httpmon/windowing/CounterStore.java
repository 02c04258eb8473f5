package io.httpmon.windowing;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A counter store that adds up increments in a plain hash map and writes them to the underlying changelogged store
 * before the task's transaction commits, so the summed counters and the input offsets they cover are committed
 * together; and before anything reads more than one key. A counter bumped by a thousand requests between two
 * commits costs one store write and one changelog record instead of a thousand. Increments not yet written are
 * lost with the task, exactly as the uncommitted input that made them is read again.
 *
 * <p>Before a commit, Kafka Streams (4.x) calls {@code flushCache()} on stores that are a {@link CachedStateStore},
 * and {@code flush}/{@code commit} only after the transaction has committed: writing the increments there put them
 * in the next transaction, and a crash in between lost them ({@code FaultSuiteIT} found it). So this store is a
 * {@link CachedStateStore}, an internal interface, pinned by the parent pom's Kafka version and by that test.
 * (A plain {@link StateStore}, not a {@code KeyValueStore}: Streams hands a processor a key-value store behind a
 * decorator of its own, which would hide {@link #increment}.)
 */
final class CounterStore implements StateStore, CachedStateStore<Bytes, Long> {

    private final KeyValueStore<Bytes, Long> inner;
    private final Map<Bytes, long[]> pending = new HashMap<>();

    CounterStore(KeyValueStore<Bytes, Long> inner) {
        this.inner = inner;
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
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        inner.init(context, root);
    }

    /** Called by Kafka Streams before the task's transaction commits. */
    @Override
    public void flushCache() {
        drain();
    }

    /** Called when the task is closed dirty: the input behind the increments is processed again. */
    @Override
    public void clearCache() {
        pending.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, Long> listener, boolean sendOldValues) {
        return false; // nothing listens to counters being written
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        drain();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        drain();
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        pending.clear(); // uncommitted: the input behind it is processed again
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    /** Builds a {@link CounterStore} around what {@code inner} builds (a changelogged key-value store). */
    static StoreBuilder<CounterStore> builder(StoreBuilder<KeyValueStore<Bytes, Long>> inner) {
        return new WrappingStoreBuilder<>(inner, CounterStore::new);
    }
}
