package io.httpmon.windowing;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The merging task's state, kept in its changelogged store: how far each partition has closed its windows, which
 * have reached the end of input, and which window comes next. The merged partials of windows that are not final
 * yet are in a store of their own, by window start.
 */
public final class MergeState {

    /** Per source partition: every window ending at or before this is final there. */
    public Map<Integer, Long> closedUpTo = new TreeMap<>();
    /** Source partitions that sent their end-of-input. */
    public Set<Integer> ended = new HashSet<>();
    /** Start of the next window to emit; null before the first data. */
    public Long nextEmit;
    /** Late requests reported since the last emitted window. */
    public long late;
    /** Requests from the future (dead letters) reported since the last emitted window. */
    public long future;
    /** The largest lateness (ms) reported since the last emitted window. */
    public long lateness;
    /** Whether a window has been handed over: a partial for a window before {@link #nextEmit} is a revision then. */
    public boolean started;
    /** How far every partition had closed at the last look. */
    public Long finalUpTo;
    /** Revisions handed over so far per window still kept. */
    public TreeMap<Long, Integer> revisions = new TreeMap<>();
    /** Partials of windows before this are dropped (past max lateness everywhere). */
    public Long retainedFrom;
}
