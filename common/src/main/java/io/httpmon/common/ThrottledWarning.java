package io.httpmon.common;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning about something that can happen to many records (late requests, requests from the future): said at
 * once the first time, then at most once per period with the figures of everything since, so that a log full of
 * them gives a few lines with numbers instead of one line per record or batch.
 */
public final class ThrottledWarning {

    /** Writes the line from how many occurrences and the largest figure (e.g. milliseconds late) among them. */
    @FunctionalInterface
    public interface Message {
        String format(long count, long largest);
    }

    private final Logger log;
    private final long periodMs;
    private final LongSupplier clock;
    private final Message message;
    private long lastSaid = Long.MIN_VALUE;
    private long count;
    private long largest = Long.MIN_VALUE;

    public ThrottledWarning(Logger log, long periodMs, LongSupplier clock, Message message) {
        this.log = log;
        this.periodMs = periodMs;
        this.clock = clock;
        this.message = message;
    }

    /** Once a minute by this machine's clock. */
    public ThrottledWarning(Logger log, Message message) {
        this(log, 60_000, System::currentTimeMillis, message);
    }

    /** {@code n} more occurrences, the largest of them {@code figure}. */
    public synchronized void add(long n, long figure) {
        if (n <= 0) {
            return;
        }
        count += n;
        largest = Math.max(largest, figure);
        long now = clock.getAsLong();
        if (lastSaid == Long.MIN_VALUE || now - lastSaid >= periodMs) {
            say(now);
        }
    }

    /** Says what is held back, if anything (e.g. before stopping). */
    public synchronized void flush() {
        if (count > 0) {
            say(clock.getAsLong());
        }
    }

    private void say(long now) {
        log.warn(message.format(count, largest));
        lastSaid = now;
        count = 0;
        largest = Long.MIN_VALUE;
    }
}
