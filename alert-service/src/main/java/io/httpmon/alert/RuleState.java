package io.httpmon.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One rule's evaluation state, kept in a changelogged store so a restart neither repeats nor misses a transition:
 * the last {@code windowSeconds} per-second counts (a ring), their sum, and whether the alert is firing. Changed in
 * place, a second at a time: a copy per second would cost the window's length (up to a day of seconds).
 */
final class RuleState {

    private final long[] ring;
    private int position;
    private long sum;
    private String triggeredAt;

    @JsonCreator
    RuleState(@JsonProperty("ring") long[] ring, @JsonProperty("position") int position,
            @JsonProperty("sum") long sum, @JsonProperty("triggeredAt") String triggeredAt) {
        this.ring = ring;
        this.position = position;
        this.sum = sum;
        this.triggeredAt = triggeredAt;
    }

    static RuleState fresh(int windowSeconds) {
        return new RuleState(new long[windowSeconds], 0, 0, null);
    }

    /** Moves the window on by one second that had {@code hits} requests. */
    void push(long hits) {
        sum += hits - ring[position];
        ring[position] = hits;
        position = (position + 1) % ring.length;
    }

    void fire(String at) {
        triggeredAt = at;
    }

    void resolve() {
        triggeredAt = null;
    }

    /** Whether the alert is firing. */
    boolean firing() {
        return triggeredAt != null;
    }

    /** Whether this state counts a window of {@code seconds}. */
    boolean hasWindow(int seconds) {
        return ring != null && ring.length == seconds;
    }

    @JsonProperty("ring")
    long[] ring() {
        return ring;
    }

    @JsonProperty("position")
    int position() {
        return position;
    }

    @JsonProperty("sum")
    long sum() {
        return sum;
    }

    @JsonProperty("triggeredAt")
    String triggeredAt() {
        return triggeredAt;
    }
}
