package io.httpmon.windowing;

/**
 * Requests that were not counted in their own window, reported with the next window handed on: {@code late} came
 * after their window had closed, {@code future} were stamped too far ahead of the reader's clock (dead letters).
 */
public record Stragglers(long late, long future) {

    public static final Stragglers NONE = new Stragglers(0, 0);

    public Stragglers plus(Stragglers other) {
        return new Stragglers(late + other.late, future + other.future);
    }

    public boolean isNone() {
        return late == 0 && future == 0;
    }
}
