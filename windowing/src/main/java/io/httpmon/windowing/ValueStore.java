package io.httpmon.windowing;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A task's single value (stage one's {@link ClockState}), read once and held in memory; a change costs a field
 * write, and the latest value goes to the changelogged store before the task's transaction commits (see
 * {@link BufferedStore}).
 */
final class ValueStore<T> extends BufferedStore<String, T> {

    private static final String KEY = "value";

    private final T initial;
    private T value;
    private boolean changed;

    ValueStore(KeyValueStore<String, T> inner, T initial) {
        super(inner);
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

    @Override
    void save() {
        if (changed) {
            inner.put(KEY, value);
            changed = false;
        }
    }

    @Override
    void discard() {
        value = null; // read again from the store, as restored
        changed = false;
    }

    static <T> StoreBuilder<ValueStore<T>> builder(StoreBuilder<KeyValueStore<String, T>> inner, T initial) {
        return new WrappingStoreBuilder<>(inner, store -> new ValueStore<>(store, initial));
    }
}
