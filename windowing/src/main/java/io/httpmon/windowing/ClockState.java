package io.httpmon.windowing;

import java.util.Set;
import java.util.TreeSet;

/**
 * Where stage one's clock and window bookkeeping stand on one partition, kept in a changelogged store.
 *
 * @param partitions how many partitions the requests topic has (as its records say), so a partial can say "partition p
 *     of n"; 0 before the first record
 * @param clock the partition's event-time clock: the largest request time, or where idle heartbeats moved it
 * @param next the earliest window with data, until the first window is closed
 * @param closed every window ending at or before this is handed on
 * @param expired windows before this are dropped: a request for one is late (equal to {@code closed} when windows are
 *     never revised)
 * @param dataMax the newest request's time, where the idle clock starts from
 * @param dataMaxReadAt when the reader read that request (its clock)
 * @param late requests that came after their window was gone, since the last partial
 * @param future requests the parser turned away as from the future, since the last partial
 * @param lateness the largest lateness (clock minus time, ms) of a request after its window's grace, since the last
 *     partial
 * @param ended the upstream (raw-lines) partitions whose end-of-input marker came
 * @param deadLetters lines of the batches that came since the last partial that were not requests
 */
record ClockState(
        int partitions,
        Long clock,
        Long next,
        Long closed,
        Long expired,
        Long dataMax,
        Long dataMaxReadAt,
        long late,
        long future,
        long lateness,
        Set<Integer> ended,
        long deadLetters) {

    static final ClockState START = new ClockState(0, null, null, null, null, null, null, 0, 0, 0, Set.of(), 0);

    ClockState {
        ended = ended == null ? Set.of() : Set.copyOf(ended);
    }

    ClockState withPartitions(int n) {
        return new ClockState(
                n, clock, next, closed, expired, dataMax, dataMaxReadAt, late, future, lateness, ended, deadLetters);
    }

    ClockState withClock(long t) {
        return new ClockState(
                partitions,
                t,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                ended,
                deadLetters);
    }

    ClockState withNext(long window) {
        return new ClockState(
                partitions,
                clock,
                window,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                ended,
                deadLetters);
    }

    ClockState withClosed(long upTo) {
        return new ClockState(
                partitions,
                clock,
                next,
                upTo,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                ended,
                deadLetters);
    }

    ClockState withExpired(long upTo) {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                upTo,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                ended,
                deadLetters);
    }

    ClockState withData(long time, long readAt) {
        return new ClockState(
                partitions, clock, next, closed, expired, time, readAt, late, future, lateness, ended, deadLetters);
    }

    /** One more late request, {@code by} ms behind the clock. */
    ClockState plusLate(long by) {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late + 1,
                future,
                Math.max(lateness, by),
                ended,
                deadLetters);
    }

    ClockState plusFuture(long count) {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future + count,
                lateness,
                ended,
                deadLetters);
    }

    ClockState plusDeadLetters(long count) {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                ended,
                deadLetters + count);
    }

    /** A request {@code by} ms behind the clock revised its window. */
    ClockState raiseLateness(long by) {
        return by <= lateness
                ? this
                : new ClockState(
                        partitions,
                        clock,
                        next,
                        closed,
                        expired,
                        dataMax,
                        dataMaxReadAt,
                        late,
                        future,
                        by,
                        ended,
                        deadLetters);
    }

    /** The same without the late, future and lateness figures: they went out with a partial. */
    ClockState withoutStragglers() {
        return late == 0 && future == 0 && lateness == 0 && deadLetters == 0
                ? this
                : new ClockState(partitions, clock, next, closed, expired, dataMax, dataMaxReadAt, 0, 0, 0, ended, 0);
    }

    ClockState withEnded(int upstream) {
        Set<Integer> all = new TreeSet<>(ended);
        all.add(upstream);
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                all,
                deadLetters);
    }

    ClockState withoutEnded() {
        return new ClockState(
                partitions,
                clock,
                next,
                closed,
                expired,
                dataMax,
                dataMaxReadAt,
                late,
                future,
                lateness,
                Set.of(),
                deadLetters);
    }
}
