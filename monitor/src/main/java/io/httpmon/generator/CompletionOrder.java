package io.httpmon.generator;

import java.io.IOException;
import java.io.Writer;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Lines written as Apache writes them: when the request completes, stamped with the time it started. Each request
 * takes from a millisecond to {@code maxMillis} (log-uniform: most are quick, a few take long), so the log is out of
 * order by up to that much. Holds the requests still running: at most the rate times the longest duration.
 */
final class CompletionOrder {

    private record Running(long endMillis, long sequence, String line) {}

    private final PriorityQueue<Running> running = new PriorityQueue<>((a, b) ->
            a.endMillis != b.endMillis ? Long.compare(a.endMillis, b.endMillis) : Long.compare(a.sequence, b.sequence));
    private final SplittableRandom random;
    private final long maxMillis;
    private long sequence;

    CompletionOrder(long seed, long maxMillis) {
        this.random = new SplittableRandom(seed);
        this.maxMillis = maxMillis;
    }

    /** A request that started at {@code startMillis}; its line is written when it completes. */
    void start(long startMillis, String line) {
        long duration = maxMillis <= 1 ? 0 : (long) Math.exp(random.nextDouble() * Math.log(maxMillis));
        running.add(new Running(startMillis + duration, sequence++, line));
    }

    /** Writes the lines of the requests completed by {@code nowMillis}; returns how many. */
    int completeUpTo(long nowMillis, Writer out) throws IOException {
        int n = 0;
        while (!running.isEmpty() && running.peek().endMillis <= nowMillis) {
            out.write(running.poll().line);
            out.write('\n');
            n++;
        }
        return n;
    }

    boolean isRunning() {
        return !running.isEmpty();
    }

    /** Writes every request still running, in completion order. */
    int completeAll(Writer out) throws IOException {
        return completeUpTo(Long.MAX_VALUE, out);
    }
}
