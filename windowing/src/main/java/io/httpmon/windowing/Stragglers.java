package io.httpmon.windowing;

/**
 * Requests that were not counted in their own window, reported with the next window handed on: {@code late} came
 * after their window's max lateness, {@code future} were stamped too far ahead of the reader's clock (dead letters);
 * {@code lateness} is the largest lateness (ms behind the clock) of a request that came after its window's grace,
 * whether it revised its window or was late; {@code deadLetters} are lines the parser could not read as requests
 * (other than the future ones), counted where their batch arrived.
 */
public record Stragglers(long late, long future, long lateness, long deadLetters) {

    public static final Stragglers NONE = new Stragglers(0, 0, 0, 0);

    public Stragglers(long late, long future, long lateness) {
        this(late, future, lateness, 0);
    }

    /** These and {@code more}: counts added, the largest lateness kept. */
    public Stragglers plus(Stragglers more) {
        return new Stragglers(
                late + more.late,
                future + more.future,
                Math.max(lateness, more.lateness),
                deadLetters + more.deadLetters);
    }
}
