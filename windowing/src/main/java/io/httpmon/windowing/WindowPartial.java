package io.httpmon.windowing;

import java.util.List;
import java.util.Map;

/**
 * What one partition knows about one window (stage one of the two-stage aggregation), or only how far its clock
 * has got. Written to the stage's internal repartition topic; merged by {@link MergeProcessor}.
 *
 * @param sourcePartition the requests partition it summarises
 * @param windowStart the window, or null for a progress-only record
 * @param closedUpTo every window of this partition ending at or before this time is final
 * @param endOfInput this partition has seen the end-of-input marker of every upstream partition
 * @param late records that came after their window was closed, since the previous partial
 * @param future requests the parser turned away as stamped too far ahead of the reader's clock, since the previous
 *     partial
 * @param lateness the largest lateness (clock minus request time, ms) of a request that came after its window's
 *     grace, since the previous partial
 * @param hits requests in the window
 * @param bytes response bytes in the window
 * @param top per dimension, the most frequent items with their counts (at most the top-K cap)
 * @param distinct per dimension, the number of distinct items in the window on this partition
 * @param hosts the distinct hosts, when there are at most {@link PartialWindowProcessor#EXACT_HOSTS}
 * @param hostSketch otherwise a HyperLogLog of them
 */
public record WindowPartial(int sourcePartition, Long windowStart, long closedUpTo, boolean endOfInput, long late,
        long future, long lateness, long hits, long bytes, Map<String, Map<String, Long>> top, Map<String, Long> distinct, List<String> hosts,
        byte[] hostSketch) {

    static WindowPartial progress(int partition, long closedUpTo, boolean endOfInput, long late, long future,
            long lateness) {
        return new WindowPartial(partition, null, closedUpTo, endOfInput, late, future, lateness, 0, 0, null, null,
                null, null);
    }
}
