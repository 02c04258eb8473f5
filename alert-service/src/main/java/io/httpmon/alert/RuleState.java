package io.httpmon.alert;

/**
 * One rule's evaluation state, kept in a changelogged store so a restart neither repeats nor misses a transition:
 * the last {@code windowSeconds} per-second counts (a ring), their sum, and whether the alert is firing.
 */
public final class RuleState {

    public long[] ring;
    public int position;
    public long sum;
    public boolean firing;
    public String triggeredAt;

    public RuleState() {
    }

    static RuleState fresh(int windowSeconds) {
        RuleState state = new RuleState();
        state.ring = new long[windowSeconds];
        return state;
    }

    /** Moves the window on by one second that had {@code hits} requests. */
    void push(long hits) {
        sum += hits - ring[position];
        ring[position] = hits;
        position = (position + 1) % ring.length;
    }
}
