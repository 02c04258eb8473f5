package io.httpmon.windowing;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's single value (stage one's {@link ClockState}) over a changelogged key-value store: read once and held in
 * memory, so a change costs a field write; the latest value is written to the store at the end of each batch
 * ({@link #save}, before the processor returns): one changelog record per batch.
 */
final class ValueStore<T> {

    private static final String KEY = "value";

    private final KeyValueStore<String, T> inner;
    private final T initial;
    private T value;
    private boolean changed;

    ValueStore(KeyValueStore<String, T> inner, T initial) {
        this.inner = inner;
        this.initial = initial;
    }

    T get() {
        if (value == null) {
            T stored = inner.get(KEY);
            value = stored != null ? stored : initial;
        }
        return value;
    }

    void set(T newValue) {
        value = newValue;
        changed = true;
    }

    /** Writes the value to the store if it changed since the last save. */
    void save() {
        if (changed) {
            inner.put(KEY, value);
            changed = false;
        }
    }
}
