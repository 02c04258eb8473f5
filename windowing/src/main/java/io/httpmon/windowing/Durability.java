package io.httpmon.windowing;

import org.apache.kafka.streams.state.StoreBuilder;

/** Whether a topology's state outlives its tasks: what its state stores keep on Kafka. */
public enum Durability {
    /**
     * Every store changelogged: a task restarted, moved to another instance or after a crash gets its state back
     * from its changelogs, exactly once. Every service, and a live monitor.
     */
    RESTARTABLE,
    /**
     * No changelogs: the state lives in the tasks only. For a replay ({@code --once}), whose topics, state and broker
     * are thrown away at its end and which does not survive its process: the changelogs' writes were a fifth of a
     * replay's CPU and their topics a second of its start (docs/performance.md). A task that starts again after it
     * counted something has lost that state, and fails the run instead of printing incomplete counts
     * ({@link ReplayStateLost}).
     */
    THROWAWAY;

    /** {@code store}, without its changelog if the state is thrown away. */
    <B extends StoreBuilder<?>> B apply(B store) {
        if (this == THROWAWAY) {
            store.withLoggingDisabled();
        }
        return store;
    }
}
