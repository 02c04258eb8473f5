package io.httpmon.windowing;

import io.httpmon.common.model.SourceCounts;
import java.util.Map;

/**
 * Requests that were not counted in their own window, reported with the next window handed on: {@code late} came
 * after their window's max lateness, {@code future} were stamped too far ahead of the reader's clock (dead letters);
 * {@code lateness} is the largest lateness (ms behind the clock) of a request that came after its window's grace,
 * whether it revised its window or was late; {@code deadLetters} are lines the parser could not read as requests
 * (other than the future ones), counted where their batch arrived. {@code bySource} splits the late requests and
 * dead letters by source (their hits are 0); empty when no record named a source.
 */
public record Stragglers(long late, long future, long lateness, long deadLetters, Map<String, SourceCounts> bySource) {

    public static final Stragglers NONE = new Stragglers(0, 0, 0, 0, Map.of());

    public Stragglers {
        bySource = bySource == null ? Map.of() : Map.copyOf(bySource);
    }

    public Stragglers(long late, long future, long lateness) {
        this(late, future, lateness, 0, Map.of());
    }

    public Stragglers(long late, long future, long lateness, long deadLetters) {
        this(late, future, lateness, deadLetters, Map.of());
    }

    /** These and {@code more}: counts added, the largest lateness kept. */
    public Stragglers plus(Stragglers more) {
        return new Stragglers(
                late + more.late,
                future + more.future,
                Math.max(lateness, more.lateness),
                deadLetters + more.deadLetters,
                SourceMaps.sum(bySource, more.bySource));
    }
}
