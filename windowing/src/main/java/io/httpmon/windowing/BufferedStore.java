package io.httpmon.windowing;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store of ours in front of a changelogged key-value store: it holds changes in memory and writes them to the
 * inner store before the task's transaction commits, so they and the input offsets they cover are committed
 * together. What it holds is lost only with the task, exactly as the uncommitted input that made it is read again.
 * Writing once per commit instead of once per request is what makes a counter bumped by a thousand requests cost
 * one store write and one changelog record.
 *
 * <p>Before a commit, Kafka Streams (4.x) calls {@code flushCache()} on stores that are a {@link CachedStateStore},
 * and {@code flush}/{@code commit} only after the transaction has committed: writing there would put the changes in
 * the next transaction, and a crash in between would lose them (docs/reliability.md). So these stores are a
 * {@link CachedStateStore}, an internal interface, pinned by the parent pom's Kafka version and by that test.
 * (A plain {@link StateStore}, not a {@code KeyValueStore}: Streams hands a processor a key-value store behind a
 * decorator of its own, which would hide the subclass's methods.)
 */
abstract class BufferedStore<K, V> implements StateStore, CachedStateStore<K, V> {

    protected final KeyValueStore<K, V> inner;

    BufferedStore(KeyValueStore<K, V> inner) {
        this.inner = inner;
    }

    /** Writes what is held in memory to the inner store. */
    abstract void save();

    /** Forgets what is held in memory: the input behind it is processed again. */
    abstract void discard();

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        discard();
        inner.init(context, root);
    }

    /** Called by Kafka Streams before the task's transaction commits. */
    @Override
    public void flushCache() {
        save();
    }

    /** Called when the task is closed dirty. */
    @Override
    public void clearCache() {
        discard();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false; // nothing listens to these stores being written
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        save();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        save();
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
        discard();
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
}
