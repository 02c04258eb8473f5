package io.httpmon.stats;

import io.httpmon.common.Control;
import io.httpmon.common.Times;
import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.model.SourceCounts;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.model.StatusClass;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.PartialMerger;
import io.httpmon.windowing.ResponseTimeBuckets;
import io.httpmon.windowing.Stragglers;
import io.httpmon.windowing.TopItems;
import io.httpmon.windowing.WindowOutput;
import io.httpmon.windowing.WindowPartial;
import io.httpmon.windowing.WindowSink;
import io.httpmon.windowing.WindowSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each final window into one {@link StatsWindow}; passes the end of input on.
 *
 * <p>Windows without traffic: live, when the clock moves a window or two at a time (the reader's heartbeats on a
 * quiet log) and they end less than {@link #LIVE_HORIZON_MS} before this host's clock, each is printed at once,
 * hits 0, as the original monitor did every interval. Any other (a gap in a replayed log, the time a stopped monitor
 * missed, a jump of the log's clock) is held until its run of empty windows ends: a run of at most
 * {@link #MAX_EMPTY_RUN} windows is then printed window by window, a longer one as a single record covering it
 * ({@code windows} says how many intervals). So the output is bounded by the input (at most that many records per
 * window with data or heartbeat), never by the length of a gap, and a replay of an old log prints the same
 * whatever order its partitions' progress arrives in.
 */
final class StatsSink implements WindowSink {

    /** Empty windows ending this close to the wall clock are live: printed one by one, at once. */
    static final long LIVE_HORIZON_MS = 5 * 60_000;
    /** A step of the clock over at most this many empty windows is live following; a longer one is a jump. */
    static final int LIVE_STEP_WINDOWS = 3;
    /** The longest run of held empty windows printed window by window; a longer one is one record. */
    static final int MAX_EMPTY_RUN = 60;

    private static final String RUN_KEY = "run";

    private final WindowSpec spec;
    private final int top;
    private final String runStoreName;
    private final WindowOutput<StatsWindow> output;
    /** The {@code [Stats NAME]} monitor's name; null for the default one. */
    private final String monitor;
    /** Whether the monitor has a group_by: each window's groups get records of their own. */
    private final boolean grouped;

    private Context context;
    private KeyValueStore<String, QuietRun> runs;

    StatsSink(WindowSpec spec, String runStoreName, int top, WindowOutput<StatsWindow> output) {
        this(spec, runStoreName, top, output, null, false);
    }

    /** The sink of monitor {@code monitor} (null: the default one), with records per group when {@code grouped}. */
    StatsSink(
            WindowSpec spec,
            String runStoreName,
            int top,
            WindowOutput<StatsWindow> output,
            String monitor,
            boolean grouped) {
        this.spec = spec;
        this.top = top;
        this.runStoreName = runStoreName;
        this.output = output;
        this.monitor = monitor;
        this.grouped = grouped;
    }

    @Override
    public void init(Context context) {
        this.context = context;
        runs = context.getStateStore(runStoreName);
    }

    @Override
    public void onWindow(long windowStart, WindowPartial merged, Stragglers stragglers) {
        stragglers = printRun(stragglers);
        emitWindow(windowStart, merged, stragglers, 0);
    }

    /** A correction: the window again, with every request counted in it so far and its revision number. */
    @Override
    public void onRevision(long windowStart, WindowPartial merged, int revision) {
        QuietRun run = runs.get(RUN_KEY);
        if (run != null && run.from() <= windowStart && windowStart < run.to()) {
            printRun(Stragglers.NONE); // the empty window first, then its correction: never the other way round
        }
        emitWindow(windowStart, merged, Stragglers.NONE, revision);
    }

    @Override
    public void onQuiet(long from, long to, Stragglers stragglers) {
        long liveFrom = Math.max(from, Math.min(to, spec.startOf(context.currentSystemTimeMs() - LIVE_HORIZON_MS)));
        if ((to - liveFrom) / spec.sizeMs() > LIVE_STEP_WINDOWS) {
            liveFrom = to; // a jump, not a heartbeat's step: held like old windows
        }
        if (liveFrom > from) {
            QuietRun run = runs.get(RUN_KEY);
            runs.put(
                    RUN_KEY,
                    run == null
                            ? new QuietRun(
                                    from,
                                    liveFrom,
                                    stragglers.late(),
                                    stragglers.future(),
                                    stragglers.lateness(),
                                    stragglers.deadLetters())
                            : new QuietRun(
                                    run.from(),
                                    liveFrom,
                                    run.late() + stragglers.late(),
                                    run.future() + stragglers.future(),
                                    Math.max(run.lateness(), stragglers.lateness()),
                                    run.deadLetters() + stragglers.deadLetters()));
            stragglers = Stragglers.NONE;
        }
        if (to > liveFrom) {
            stragglers = printRun(stragglers);
            printEmpty(liveFrom, to, stragglers);
        }
    }

    @Override
    public void onEndOfInput(long upTo) {
        onEndOfInput(upTo, Set.of());
    }

    @Override
    public void onEndOfInput(long upTo, Set<String> sources) {
        printRun(Stragglers.NONE);
        var headers =
                Control.withEndedSources(Control.endOfInput(Math.max(upTo, 0)).headers(), sources);
        if (monitor != null) {
            headers.add(Control.MONITOR_HEADER, monitor.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        context.send(output, new Record<String, StatsWindow>(null, null, Math.max(upTo, 0), headers));
    }

    /** Prints the held run of empty windows, if any; returns the stragglers not reported with it. */
    private Stragglers printRun(Stragglers stragglers) {
        QuietRun run = runs.get(RUN_KEY);
        if (run == null) {
            return stragglers;
        }
        runs.delete(RUN_KEY);
        printEmpty(run.from(), run.to(), new Stragglers(run.late(), run.future(), run.lateness(), run.deadLetters()));
        return stragglers;
    }

    /** Empty windows {@code from} to {@code to}: one by one up to {@link #MAX_EMPTY_RUN}, else one record. */
    private void printEmpty(long from, long to, Stragglers stragglers) {
        long size = spec.sizeMs();
        if ((to - from) / size > MAX_EMPTY_RUN) {
            emit(to, stats(spec, from, to, null, stragglers, 0, top));
            return;
        }
        for (long w = from; w < to; w += size) {
            emitWindow(w, null, stragglers, 0);
            stragglers = Stragglers.NONE;
        }
    }

    private void emitWindow(long windowStart, WindowPartial merged, Stragglers stragglers, int revision) {
        long end = windowStart + spec.sizeMs();
        emit(end, stats(spec, windowStart, end, merged, stragglers, revision, top));
        if (grouped && merged != null) {
            groups(windowStart, end, merged, revision, top).forEach(g -> emit(end, g));
        }
    }

    private void emit(long end, StatsWindow stats) {
        if (monitor != null) {
            context.send(output, new Record<>(null, stats.group() == null ? stats.of(monitor, null) : stats, end));
            return; // the service's metrics are the default monitor's: the others count the same requests again
        }
        context.send(output, new Record<>(null, stats, end));
        ServiceMetrics.WINDOWS.inc();
        ServiceMetrics.WINDOW_REQUESTS.inc(stats.hits());
        ServiceMetrics.LATE_REQUESTS.inc(stats.late());
        ServiceMetrics.WINDOW_LATENCY.observe(Math.max(0, System.currentTimeMillis() - end) / 1000.0);
    }

    static StatsWindow stats(
            WindowSpec spec,
            long windowStart,
            long end,
            WindowPartial merged,
            Stragglers stragglers,
            int revision,
            int top) {
        long hits = merged == null ? 0 : merged.hits();
        Map<String, Long> status = statusCodes(items(merged, StatsCounter.STATUS));
        Map<String, Long> sections = TopItems.top(items(merged, StatsCounter.SECTION), top);
        Map<String, Long> users = TopItems.top(items(merged, StatsCounter.USER), top);
        return new StatsWindow(
                null,
                null,
                Times.iso(end),
                revision,
                Times.iso(windowStart),
                Times.iso(end),
                hits,
                end > windowStart ? hits / ((end - windowStart) / 1000.0) : 0,
                first(sections, 3),
                first(users, 3),
                status,
                sections,
                TopItems.top(items(merged, StatsCounter.RESOURCE), top),
                users,
                TopItems.top(items(merged, StatsCounter.METHOD), Integer.MAX_VALUE),
                merged == null ? 0 : merged.sum(),
                merged == null ? 0 : PartialMerger.distinctCount(merged),
                stragglers.late(),
                stragglers.future(),
                stragglers.lateness(),
                (end - windowStart) / spec.sizeMs(),
                ResponseTimeBuckets.WINDOW.quantiles(items(merged, StatsCounter.RESPONSE_TIME)),
                ResponseTimeBuckets.SECTION.slowest(items(merged, StatsCounter.SECTION_RESPONSE_TIME), top),
                stragglers.deadLetters(),
                sources(merged, stragglers));
    }

    /**
     * A grouped monitor's records of one window after its own: one per group among the {@code top} with most hits,
     * then {@value MonitorSettings#OTHER_GROUP} with the rest, when there is a rest. Each has the group's hits, rate,
     * bytes and status classes.
     */
    List<StatsWindow> groups(long windowStart, long end, WindowPartial merged, int revision, int top) {
        Map<String, Long> hits = TopItems.top(merged.items(StatsCounter.GROUP), top);
        Map<String, Long> bytes = merged.items(StatsCounter.GROUP_BYTES);
        Map<String, Map<String, Long>> statuses = new LinkedHashMap<>();
        merged.items(StatsCounter.GROUP_STATUS).forEach((gs, n) -> {
            if (hits.containsKey(gs.group())) {
                statuses.computeIfAbsent(gs.group(), g -> new TreeMap<>()).merge(gs.statusClass(), n, Long::sum);
            }
        });
        List<StatsWindow> records = new ArrayList<>();
        long restHits = merged.hits();
        long restBytes = merged.sum();
        Map<String, Long> restStatus = new TreeMap<>(items(merged, StatsCounter.STATUS));
        for (var group : hits.entrySet()) {
            long groupBytes = bytes.getOrDefault(group.getKey(), 0L);
            Map<String, Long> status = statuses.getOrDefault(group.getKey(), Map.of());
            records.add(group(windowStart, end, revision, group.getKey(), group.getValue(), groupBytes, status));
            restHits -= group.getValue();
            restBytes -= groupBytes;
            status.forEach((c, n) -> restStatus.merge(c, -n, Long::sum));
        }
        if (restHits > 0) {
            restStatus.values().removeIf(n -> n <= 0);
            records.add(group(
                    windowStart,
                    end,
                    revision,
                    MonitorSettings.OTHER_GROUP,
                    restHits,
                    Math.max(0, restBytes),
                    restStatus));
        }
        return records;
    }

    private StatsWindow group(
            long windowStart,
            long end,
            int revision,
            String group,
            long hits,
            long bytes,
            Map<String, Long> statusCounts) {
        return new StatsWindow(
                monitor,
                group,
                Times.iso(end),
                revision,
                Times.iso(windowStart),
                Times.iso(end),
                hits,
                hits / ((end - windowStart) / 1000.0),
                null,
                null,
                statusCodes(statusCounts),
                null,
                null,
                null,
                null,
                bytes,
                0,
                0,
                0,
                0,
                (end - windowStart) / spec.sizeMs(),
                null,
                null,
                0,
                null);
    }

    /** The original's four classes, always; the others when not 0. */
    private static Map<String, Long> statusCodes(Map<String, Long> statusCounts) {
        Map<String, Long> status = new LinkedHashMap<>();
        StatusClass.ALWAYS_LISTED.forEach(c -> status.put(c.label(), statusCounts.getOrDefault(c.label(), 0L)));
        for (StatusClass c : StatusClass.values()) {
            if (!StatusClass.ALWAYS_LISTED.contains(c) && statusCounts.getOrDefault(c.label(), 0L) > 0) {
                status.put(c.label(), statusCounts.get(c.label()));
            }
        }
        return status;
    }

    /**
     * Per source: its hits in the window (from the merged partial) and its late requests and dead letters (from
     * the stragglers reported with it); null unless there is more than one source, so a single log's records stay
     * as they were.
     */
    static Map<String, SourceCounts> sources(WindowPartial merged, Stragglers stragglers) {
        Map<String, SourceCounts> bySource = new TreeMap<>(stragglers.bySource());
        if (merged != null) {
            merged.sources().forEach((source, counts) -> {
                if (counts.hits() > 0) {
                    bySource.merge(source, new SourceCounts(counts.hits(), 0, 0), SourceCounts::plus);
                }
            });
        }
        return bySource.size() > 1 ? bySource : null;
    }

    private static Map<String, Long> items(WindowPartial merged, Dimension<String> dimension) {
        return merged == null ? Map.of() : merged.items(dimension);
    }

    private static List<String> first(Map<String, Long> ordered, int n) {
        List<String> names = new ArrayList<>(ordered.keySet());
        return List.copyOf(names.subList(0, Math.min(n, names.size())));
    }
}
