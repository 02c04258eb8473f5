package io.httpmon.alert;

/**
 * One client's requests over a {@code client_rate} rule's window, in memory: the seconds in the window when it made
 * some (only those: a client seen once costs one entry, not a window of zeros), their sum, since when it has been at
 * or above the threshold (pending), and since when its own alert fires. A client with nothing in its window, nothing
 * pending and no alert is forgotten. What a restart needs is stored apart: the seconds' counts once per second for
 * every client_rate rule, the pending and firing clients in the rule's state ({@link AlertSink}).
 *
 * <p>A busy site has tens of thousands of clients in a minute's window, most of them seen in one second: the seconds
 * are a ring of {second, requests} pairs in one array, and the state carries its client's name and what a step
 * needs to look at it once ({@link #mark}, {@link #flagged}), so a step touches each client it looks at without
 * hashing its name again.
 */
final class ClientState {

    private final String name;
    /** Its name's key in its rule's {@link ClientTable}. */
    final long key;
    /** {second, requests} pairs of the seconds in the window with requests, oldest first from {@link #head}. */
    private long[] ring = new long[2];

    private int head;
    private int size;
    private long sum;
    private long pendingSince = -1;
    private String triggeredAt;
    /** The last step that took it among its candidates (each is looked at once per step). */
    long mark;
    /** Whether it is among its rule's pending and firing clients (the set a step always looks at). */
    boolean flagged;

    ClientState(String name, long key) {
        this.name = name;
        this.key = key;
    }

    String name() {
        return name;
    }

    /** {@code requests} more in {@code second}, the newest second so far. */
    void add(long second, long requests) {
        int capacity = ring.length / 2;
        if (size > 0) {
            int last = 2 * ((head + size - 1) % capacity);
            if (ring[last] == second) {
                ring[last + 1] += requests;
                sum += requests;
                return;
            }
        }
        if (size == capacity) {
            long[] grown = new long[ring.length * 2];
            for (int i = 0; i < size; i++) {
                int from = 2 * ((head + i) % capacity);
                grown[2 * i] = ring[from];
                grown[2 * i + 1] = ring[from + 1];
            }
            ring = grown;
            head = 0;
            capacity *= 2;
        }
        int at = 2 * ((head + size) % capacity);
        ring[at] = second;
        ring[at + 1] = requests;
        size++;
        sum += requests;
    }

    /** Forgets the seconds at or before {@code second}; true when some were. */
    boolean expireUpTo(long second) {
        int capacity = ring.length / 2;
        boolean expired = false;
        while (size > 0 && ring[2 * head] <= second) {
            sum -= ring[2 * head + 1];
            head = (head + 1) % capacity;
            size--;
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

    /** Pending or firing: the clients a step looks at whatever their counts. */
    boolean pendingOrFiring() {
        return pendingSince >= 0 || triggeredAt != null;
    }

    long[][] seconds() {
        int capacity = ring.length / 2;
        long[][] seconds = new long[size][];
        for (int i = 0; i < size; i++) {
            int at = 2 * ((head + i) % capacity);
            seconds[i] = new long[] {ring[at], ring[at + 1]};
        }
        return seconds;
    }

    long pendingSince() {
        return pendingSince;
    }

    String triggeredAt() {
        return triggeredAt;
    }
}
