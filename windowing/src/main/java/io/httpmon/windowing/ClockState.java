package io.httpmon.windowing;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where stage one's clock and window bookkeeping stand on one partition, kept in a changelogged store.
 *
 * @param partitions how many partitions the requests topic has (as its records say), so a partial can say "partition p
 *     of n"; 0 before the first record
 * @param clock the partition's event-time clock: the slowest clock among the sources that hold time (see
 *     {@link PartialWindowProcessor}); never goes back
 * @param next the earliest window with data, until the first window is closed
 * @param closed every window ending at or before this is handed on
 * @param expired windows before this are dropped: a request for one is late (equal to {@code closed} when windows are
 *     never revised)
 * @param late requests that came after their window was gone, since the last partial
 * @param future requests the parser turned away as from the future, since the last partial
 * @param lateness the largest lateness (clock minus time, ms) of a request after its window's grace, since the last
 *     partial
 * @param deadLetters lines of the batches that came since the last partial that were not requests
 * @param sources each source's own clock and end of input, by source id ("" for records that name none)
 */
record ClockState(
        int partitions,
        Long clock,
        Long next,
        Long closed,
        Long expired,
        long late,
        long future,
        long lateness,
        long deadLetters,
        Map<String, SourceClock> sources) {

    static final ClockState START = new ClockState(0, null, null, null, null, 0, 0, 0, 0, Map.of());

    ClockState {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    ClockState withPartitions(int n) {
        return new ClockState(n, clock, next, closed, expired, late, future, lateness, deadLetters, sources);
    }

    ClockState withClock(long t) {
        return new ClockState(partitions, t, next, closed, expired, late, future, lateness, deadLetters, sources);
    }

    ClockState withNext(long window) {
        return new ClockState(partitions, clock, window, closed, expired, late, future, lateness, deadLetters, sources);
    }

    ClockState withClosed(long upTo) {
        return new ClockState(partitions, clock, next, upTo, expired, late, future, lateness, deadLetters, sources);
    }

    ClockState withExpired(long upTo) {
        return new ClockState(partitions, clock, next, closed, upTo, late, future, lateness, deadLetters, sources);
    }

    /** One more late request, {@code by} ms behind the clock. */
    ClockState plusLate(long by) {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                late + 1,
                future,
                Math.max(lateness, by),
                deadLetters,
                sources);
    }

    ClockState plusFuture(long count) {
        return new ClockState(
                partitions, clock, next, closed, expired, late, future + count, lateness, deadLetters, sources);
    }

    ClockState plusDeadLetters(long count) {
        return new ClockState(
                partitions, clock, next, closed, expired, late, future, lateness, deadLetters + count, sources);
    }

    /** A request {@code by} ms behind the clock revised its window. */
    ClockState raiseLateness(long by) {
        return by <= lateness
                ? this
                : new ClockState(partitions, clock, next, closed, expired, late, future, by, deadLetters, sources);
    }

    /** The same without the late, future and lateness figures: they went out with a partial. */
    ClockState withoutStragglers() {
        return late == 0 && future == 0 && lateness == 0 && deadLetters == 0
                ? this
                : new ClockState(partitions, clock, next, closed, expired, 0, 0, 0, 0, sources);
    }

    ClockState withSources(Map<String, SourceClock> all) {
        return new ClockState(
                partitions, clock, next, closed, expired, late, future, lateness, deadLetters, new TreeMap<>(all));
    }
}
