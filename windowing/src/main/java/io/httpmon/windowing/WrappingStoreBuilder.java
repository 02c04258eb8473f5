package io.httpmon.windowing;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a store of ours around the changelogged store {@code inner} builds. Our stores hold their own cache, so
 * Kafka Streams' record cache is refused.
 */
final class WrappingStoreBuilder<S extends StateStore, I extends StateStore> implements StoreBuilder<S> {

    private final StoreBuilder<I> inner;
    private final Function<I, S> wrap;

    WrappingStoreBuilder(StoreBuilder<I> inner, Function<I, S> wrap) {
        this.inner = inner;
        this.wrap = wrap;
    }

    @Override
    public StoreBuilder<S> withCachingEnabled() {
        throw new UnsupportedOperationException("this store is its own cache");
    }

    @Override
    public StoreBuilder<S> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public S build() {
        return wrap.apply(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
