package io.httpmon.windowing;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The merging task's state, kept in its changelogged store. The partials of windows not handed over yet (or kept
 * for revisions) are in a store of their own, by window start and partition.
 *
 * @param partitions how many partitions the partials say there are: the number each window waits for
 * @param closedUpTo per source partition: every window ending at or before this is final there
 * @param ended source partitions that sent their end-of-input
 * @param empty source partitions that had no request when their upstream went idle: they hold nothing back
 * @param nextEmit start of the next window to hand over; null before the first data
 * @param stragglers late and future requests reported since the last window handed over
 * @param started whether a window has been handed over: a partial for a window before {@code nextEmit} is a
 *     revision then
 * @param finalUpTo how far every partition had closed at the last look
 * @param revisions revisions handed over so far per window still kept
 * @param retainedFrom partials of windows before this are dropped (past max lateness everywhere)
 * @param expiredUpTo per source partition, the windows before this it has dropped (as its partials say): the merge
 *     keeps every window a partition may still revise, also where a silent source holds that partition's dropping
 *     back
 * @param endedSources the sources whose end of input the partitions that ended said, until every partition has
 * @param readUpTo per source partition, its latest partial's {@link WindowPartial#readUpTo}: an empty partition
 *     lets pass only progress that rests on nothing its sources read after it last said it was empty
 */
record MergeState(
        int partitions,
        Map<Integer, Long> closedUpTo,
        Set<Integer> ended,
        Set<Integer> empty,
        Long nextEmit,
        Stragglers stragglers,
        boolean started,
        Long finalUpTo,
        SortedMap<Long, Integer> revisions,
        Long retainedFrom,
        Map<Integer, Long> expiredUpTo,
        Set<String> endedSources,
        Map<Integer, Map<String, Long>> readUpTo) {

    static final MergeState START = new MergeState(
            1,
            Map.of(),
            Set.of(),
            Set.of(),
            null,
            Stragglers.NONE,
            false,
            null,
            new TreeMap<>(),
            null,
            Map.of(),
            Set.of(),
            Map.of());

    MergeState {
        closedUpTo = closedUpTo == null ? Map.of() : Map.copyOf(closedUpTo);
        ended = ended == null ? Set.of() : Set.copyOf(ended);
        empty = empty == null ? Set.of() : Set.copyOf(empty);
        stragglers = stragglers == null ? Stragglers.NONE : stragglers;
        revisions = revisions == null ? new TreeMap<>() : new TreeMap<>(revisions);
        expiredUpTo = expiredUpTo == null ? Map.of() : Map.copyOf(expiredUpTo);
        endedSources = endedSources == null ? Set.of() : Set.copyOf(endedSources);
        readUpTo = readUpTo == null ? Map.of() : Map.copyOf(readUpTo);
    }
}
