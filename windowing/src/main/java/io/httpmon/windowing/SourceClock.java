package io.httpmon.windowing;

import java.util.Set;

/**
 * Where one source (a reader: one web server's log) stands on one stage-one partition, saved with the partition's
 * {@link ClockState}.
 *
 * @param clock the source's event-time clock here: the largest time of its requests, or where its idle heartbeats
 *     moved it; null before either
 * @param dataMax the newest of its requests' times here, where its idle clock starts from
 * @param dataMaxReadAt when its reader read that request (the reader's clock)
 * @param seenAt the reader's clock at the latest record of this source here (a batch's read time, a heartbeat's
 *     time): a source that has sent nothing for {@link WindowSpec#sourceIdle()} while others went on no longer
 *     holds time back
 * @param ended the upstream (raw-lines) partitions whose end-of-input marker of this source came
 * @param upstreams how many upstream partitions the source's markers come through (0 before the first marker)
 * @param late its requests that came after their window was gone, since the last partial
 * @param deadLetters its lines that were not requests, since the last partial
 */
record SourceClock(
        Long clock,
        Long dataMax,
        Long dataMaxReadAt,
        long seenAt,
        Set<Integer> ended,
        int upstreams,
        long late,
        long deadLetters) {

    static final SourceClock NEW = new SourceClock(null, null, null, Long.MIN_VALUE, Set.of(), 0, 0, 0);

    SourceClock {
        ended = ended == null ? Set.of() : Set.copyOf(ended);
    }

    /** Every upstream partition has passed this source's end-of-input marker on. */
    boolean hasEnded() {
        return upstreams > 0 && ended.size() >= upstreams;
    }
}
