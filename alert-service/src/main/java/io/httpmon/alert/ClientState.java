package io.httpmon.alert;

import java.util.ArrayDeque;

/**
 * One client's requests over a {@code client_rate} rule's window, in memory: the seconds in the window when it made
 * some (only those: a client seen once costs one entry, not a window of zeros), their sum, since when it has been at
 * or above the threshold (pending), and since when its own alert fires. A client with nothing in its window, nothing
 * pending and no alert is forgotten. What a restart needs is stored apart: the seconds' counts once per second for
 * every client_rate rule, the pending and firing clients in the rule's state ({@link AlertSink}).
 */
final class ClientState {

    /** {second, requests} of the seconds in the window with requests, oldest first. */
    private final ArrayDeque<long[]> seconds = new ArrayDeque<>();

    private long sum;
    private long pendingSince = -1;
    private String triggeredAt;

    ClientState() {}

    /** {@code requests} more in {@code second}, the newest second so far. */
    void add(long second, long requests) {
        long[] last = seconds.peekLast();
        if (last != null && last[0] == second) {
            last[1] += requests;
        } else {
            seconds.addLast(new long[] {second, requests});
        }
        sum += requests;
    }

    /** Forgets the seconds at or before {@code second}; true when some were. */
    boolean expireUpTo(long second) {
        boolean expired = false;
        while (!seconds.isEmpty() && seconds.peekFirst()[0] <= second) {
            sum -= seconds.removeFirst()[1];
            expired = true;
        }
        return expired;
    }

    /** The requests in the window. */
    long sum() {
        return sum;
    }

    /** Whether it can be forgotten: nothing in the window, nothing pending, no alert. */
    boolean idle() {
        return sum == 0 && pendingSince < 0 && triggeredAt == null;
    }

    void pending(long since) {
        pendingSince = since;
    }

    void fire(String at) {
        triggeredAt = at;
        pendingSince = -1;
    }

    void resolve() {
        triggeredAt = null;
    }

    boolean firing() {
        return triggeredAt != null;
    }

    long[][] seconds() {
        return seconds.toArray(long[][]::new);
    }

    long pendingSince() {
        return pendingSince;
    }

    String triggeredAt() {
        return triggeredAt;
    }
}
