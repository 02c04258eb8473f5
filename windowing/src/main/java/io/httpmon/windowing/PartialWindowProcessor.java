package io.httpmon.windowing;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.ControlChars;
import io.httpmon.common.PartitionOf;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.SourceCounts;
import io.httpmon.common.model.TimedBatch;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage one of the two-stage aggregation: counts the requests of one {@code requests} partition (batches of them,
 * each request at its own event time) per event-time window, and when a window closes sends its summary
 * ({@link WindowPartial}) to the single merging task. What is counted of a request beyond its hit is the
 * {@link WindowCounter}'s business.
 *
 * <p>State, all in changelogged stores so it is as exactly-once as the input: the counters ({@link CounterStore},
 * persistent, so memory stays bounded however many distinct items a window has), the distinct items of each window
 * ({@link WindowSetStore}: exact up to {@link #EXACT_DISTINCT}, a sketch beyond) and the clock
 * ({@link ClockState}).
 *
 * <p>The partition's clock is the largest event time it has seen; a window closes when the clock passes its end
 * plus the grace period. A request for a window already gone is counted as late. When every upstream partition
 * says the file is idle, the clock moves on by as long as the log has been quiet, measured on the reader's clock
 * (see {@link #onIdle}), so windows close and alerts recover when traffic stops. The end-of-input marker of every
 * upstream partition closes every window at once. Work is per request and per window with data: a jump of the
 * clock by a year costs what a jump by a second costs (one range scan over the windows that have data).
 */
public final class PartialWindowProcessor implements Processor<byte[], TimedBatch, String, WindowPartial> {

    /** Distinct items of a window shipped as a list up to this many; beyond it, as a HyperLogLog sketch. */
    public static final int EXACT_DISTINCT = 10_000;
    /** Items per dimension a partial carries (the most frequent ones). */
    public static final int TOP_K = 1000;
    /**
     * How far a source that fell silent holds the dropping of windows back behind the partition's clock (event
     * time): its backlog within this much still revises its windows when it comes back; older lines are late.
     */
    public static final long SOURCE_BACKLOG_MS = 3_600_000;
    /** The key of every partial: they all go to one merging task. */
    public static final String MERGE_KEY = "all";

    private static final Logger log = LoggerFactory.getLogger(PartialWindowProcessor.class);

    private final Aggregation aggregation;
    private final WindowSpec spec;
    private final WindowCounter counter;
    private final boolean readsRequests;
    private final Map<Byte, Dimension<?>> dimensionsByCode = new HashMap<>();
    private final WindowTally tally = new WindowTally();

    private ProcessorContext<String, WindowPartial> context;
    private CounterStore counters;
    private WindowSetStore distinct;
    private ValueStore<ClockState> clockStore;
    private ClockState clock;
    private int partition;
    /**
     * As of which reader clocks (per source) this partition, without a request so far, last said so since the task
     * started (see {@link #onIdle}); empty before.
     */
    private Map<String, Long> saidEmptyAs = Map.of();
    /**
     * Handed-on windows that requests within max lateness have changed since their last partial. Not saved: after
     * a crash the requests that made them dirty are processed again (the input is read again from the last commit).
     */
    private final TreeSet<Long> dirty = new TreeSet<>();
    /** Each source's time on this partition; saved in the clock state when a record changed it. */
    private final Map<String, SourceTime> sources = new HashMap<>();

    private boolean sourcesChanged;
    /** While the end of input closes every window: the sources that ended, said with the last partial. */
    private List<String> endedSources = List.of();
    /** A run of requests of one source in one window, not counted yet (see {@link #countSourceRun}). */
    private long runWindow;

    private SourceTime runSource;
    private long runCount;
    /** The newest reader clock any source has shown here (see {@link SourceClock#seenAt}). */
    private long newestSeen = Long.MIN_VALUE;

    private final ReplayStateLost.Starts starts;

    public PartialWindowProcessor(Aggregation aggregation) {
        this(aggregation, null);
    }

    /** @param starts its tasks' starts, for a topology whose state is thrown away ({@link Durability}); or null */
    PartialWindowProcessor(Aggregation aggregation, ReplayStateLost.Starts starts) {
        this.starts = starts;
        this.aggregation = aggregation;
        this.spec = aggregation.spec();
        this.counter = aggregation.counter();
        this.readsRequests = !counter.columns().isEmpty();
        counter.dimensions().forEach(d -> dimensionsByCode.put(d.code(), d));
    }

    @Override
    public void init(ProcessorContext<String, WindowPartial> context) {
        if (starts != null) {
            starts.init(context.taskId());
        }
        this.context = context;
        // New views each time the task starts: what they held in memory is read again from the restored stores.
        this.counters = aggregation.packsCounters()
                ? new CounterStore(
                        context.getStateStore(aggregation.counterStore()),
                        context.getStateStore(aggregation.packedStore()),
                        aggregation.packedDimensions())
                : new CounterStore(context.getStateStore(aggregation.counterStore()));
        this.distinct = counter.countsDistinct()
                ? new WindowSetStore(context.getStateStore(aggregation.distinctStore()), EXACT_DISTINCT)
                : null;
        this.clockStore = new ValueStore<>(context.getStateStore(aggregation.clockStore()), ClockState.START);
        this.clock = clockStore.get();
        this.partition = context.taskId().partition();
        dirty.clear();
        saidEmptyAs = Map.of();
        sources.clear();
        runSource = null;
        runCount = 0;
        newestSeen = Long.MIN_VALUE;
        clock.sources().forEach((id, saved) -> {
            SourceTime source = new SourceTime(id, saved);
            sources.put(id, source);
            newestSeen = Math.max(newestSeen, source.seenAt);
        });
        sourcesChanged = false;
    }

    /**
     * Handles one batch of requests or a control record, then writes what it changed to the stores: before this
     * returns, so the writes are in the same transaction as the input offset (Kafka Streams may commit after any
     * record). Summing in memory within a batch is what makes a counter bumped by a whole chunk cost one write.
     */
    @Override
    public void process(Record<byte[], TimedBatch> record) {
        if (starts != null) {
            starts.processing(context.taskId()); // one set lookup a record (a batch of requests, a partial)
        }
        handle(record);
        if (sourcesChanged) {
            Map<String, SourceClock> saved = new HashMap<>();
            sources.forEach((id, source) -> saved.put(id, source.saved()));
            setClock(clock.withSources(saved));
            sourcesChanged = false;
        }
        counters.save();
        if (distinct != null) {
            distinct.save();
        }
        clockStore.save();
    }

    private void handle(Record<byte[], TimedBatch> record) {
        notePartitions(record.headers());
        TimedBatch batch = record.value();
        if (batch == null) {
            Control control = Control.read(record.headers(), record.timestamp());
            if (control == null || control.kind() == Control.Kind.UNKNOWN) {
                return;
            }
            SourceTime source = source(control.source());
            source.seen(control.time());
            switch (control.kind()) {
                case END_OF_INPUT -> onEndOfInput(control.from(), source);
                case IDLE -> onIdle(control, source);
                case HELLO -> {
                    // The source is known from now on; its first request sets its clock. A source whose reader runs
                    // anew holds time again, through this upstream partition only: a restarted reader's hellos and
                    // ends go through every upstream partition, each in order, but independent parsers interleave
                    // them, so its end through partition 0 may come here before its hello through partition 1.
                    if (source.ended.remove(control.from().partition())) {
                        sourcesChanged = true;
                    }
                }
                default -> {}
            }
            return;
        }
        SourceTime source = source(ChunkHeaders.source(record.headers()));
        source.seen(batch.readAt());
        if (batch.future() > 0) {
            setClock(clock.plusFuture(batch.future()));
        }
        if (batch.deadLetters() > 0) {
            setClock(clock.plusDeadLetters(batch.deadLetters()));
            source.deadLetters += batch.deadLetters();
            sourcesChanged = true;
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
            process(batch.time(i), readsRequests ? batch.request(i) : null, source, batch.readAt());
        }
        countSourceRun();
    }

    /** How many partitions the requests topic has, as the record says (see {@link ChunkHeaders#PARTITION}). */
    private void notePartitions(Headers headers) {
        int partitions =
                Math.max(PartitionOf.read(headers, ChunkHeaders.PARTITION).partitions(), partition + 1);
        if (partitions != clock.partitions()) {
            setClock(clock.withPartitions(partitions));
        }
    }

    /**
     * One request of a batch, at its own event time {@code t}; {@code readAt} is when the reader read it (its
     * clock). {@code request} is null when the counter reads no field (hits only).
     */
    private void process(long t, HttpRequest request, SourceTime source, long readAt) {
        if (source.dataMax == null || t > source.dataMax) {
            source.dataMax = t;
            source.dataMaxReadAt = readAt;
            source.idleEmpty = false;
            sourcesChanged = true;
        }
        if (request != null && !counter.counts(request)) {
            // Not this aggregation's (a monitor's filter): it moves time like any other request, counts nowhere.
            if (source.clock == null || t > source.clock) {
                source.clock = t;
                sourcesChanged = true;
                advance();
            }
            return;
        }
        ClockState c = clock;
        Long gone = spec.revises() ? c.expired() : c.closed();
        if (gone != null && t < gone) {
            long lateness = c.clock() - t;
            setClock(c.plusLate(lateness));
            source.late++;
            sourcesChanged = true;
            aggregation.onLate().add(source.id, 1, lateness);
            return;
        }
        long window = spec.startOf(t);
        if (window != runWindow || source != runSource) {
            countSourceRun();
            runWindow = window;
            runSource = source;
        }
        runCount++;
        if (c.closed() == null && (c.next() == null || window < c.next())) {
            c = c.withNext(window);
        }
        counters.increment(window, Dimension.HITS, "", 1);
        if (request != null) {
            tally.window = window;
            counter.count(request, tally);
        }
        if (c.closed() != null && t < c.closed()) {
            dirty.add(window); // handed on already, still within max lateness: a revision
            c = c.raiseLateness(c.clock() - t);
        }
        setClock(c);
        if (source.clock == null || t > source.clock) {
            source.clock = t;
            sourcesChanged = true;
            advance();
        }
    }

    /**
     * Counts the current run of requests of one source in one window as that source's requests in the window: one
     * increment per run (a batch of an ordered log is one or two runs), not one per request.
     */
    private void countSourceRun() {
        if (runCount > 0) {
            counters.increment(runWindow, Dimension.SOURCE, runSource.id, runCount);
            runCount = 0;
        }
    }

    /** The source of id {@code id}, known from now on. */
    private SourceTime source(String id) {
        SourceTime source = sources.get(id);
        if (source == null) {
            source = new SourceTime(id, SourceClock.NEW);
            sources.put(id, source);
            sourcesChanged = true;
            if (!id.isEmpty() && partition == 0) { // said once per aggregation, not once per partition
                log.info("{}: source '{}' publishes", aggregation.name(), ControlChars.escape(id));
            }
        }
        return source;
    }

    /**
     * Moves the partition's clock to the slowest clock among the sources that hold time, and closes the windows it
     * has passed; never backwards. A source holds time until its end of input, while it sends something (see
     * {@link WindowSpec#sourceIdle()}) and unless it had no request here when it went idle; a holding source without
     * a request here yet holds everything (its first one may be old).
     */
    private void advance() {
        Long watermark = null;
        for (SourceTime source : sources.values()) {
            if (!holds(source)) {
                continue;
            }
            if (source.clock == null) {
                return;
            }
            watermark = watermark == null ? source.clock : Math.min(watermark, source.clock);
        }
        if (watermark != null && (clock.clock() == null || watermark > clock.clock())) {
            setClock(clock.withClock(watermark));
            closeUpTo(spec.startOf(watermark - spec.graceMs()), false);
        }
    }

    private boolean holds(SourceTime source) {
        if (source.hasEnded() || source.idleEmpty) {
            return false;
        }
        boolean silent = newestSeen - source.seenAt > spec.sourceIdle().toMillis();
        if (silent != source.saidSilent) {
            source.saidSilent = silent;
            if (partition != 0) {
                // every partition sees every source's markers: said by the first one only
            } else if (silent) {
                log.warn(
                        "Source '{}' has sent nothing for {} s while other sources went on: partition {} of {} no "
                                + "longer waits for it (its time stays at {}); when it comes back, its backlog counts in "
                                + "its windows, as revisions",
                        ControlChars.escape(source.id),
                        (newestSeen - source.seenAt) / 1000,
                        partition,
                        aggregation.name(),
                        source.clock == null ? "none" : io.httpmon.common.Times.iso(source.clock));
            } else {
                log.info(
                        "Source '{}' is back on partition {} of {}",
                        ControlChars.escape(source.id),
                        partition,
                        aggregation.name());
            }
        }
        return !silent;
    }

    private boolean anyHolds() {
        for (SourceTime source : sources.values()) {
            if (holds(source)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An idle heartbeat: the reader was at the end of the file with nothing new as of the record's time (its wall
     * clock). When every upstream partition has said so, the clock moves to the newest request's time plus how long
     * the log has been quiet since the reader read that request (both on the reader's clock), minus
     * {@code idleAfter}; never backwards. So windows close and alerts recover when traffic stops, whatever the web
     * server's clock or time zone, after a historic log has been read (its windows close as the quiet goes on), and
     * after the monitor was stopped for a while (the pause counts as quiet). A request the reader publishes after
     * its heartbeat is read later than the newest one was, so the clock never passes its time minus the server's
     * skew: no window closes early. A stalled reader, parser or broker sends no heartbeat and closes nothing.
     *
     * <p>A partition that has had no request yet says so at each round of heartbeats ({@link WindowPartial#empty}),
     * with the reader's clock of the round: by the same reasoning a request it gets later is newer than what the
     * other partitions' idle clocks have closed, so it does not hold their windows back (a log with fewer chunks
     * than partitions, followed live, closes its windows); but requests read since, which another partition may
     * already have counted, can still be on their way here through a slower parser, so the merge lets it pass only
     * progress that rests on nothing read after its round ({@link WindowPartial#readUpTo}).
     */
    private void onIdle(Control idle, SourceTime source) {
        PartitionOf from = idle.from();
        source.idleSeen.put(from.partition(), idle.time());
        if (source.idleSeen.size() < from.partitions()) {
            return;
        }
        if (source.dataMax == null) {
            // Nothing from this source here: what it sends later is newer than what the idle clocks close. Said
            // again whenever a source's round moves (per source: readers' clocks differ), as of that round: the merge
            // counts an empty partition only against progress resting on nothing read later.
            source.idleEmpty = true;
            Map<String, Long> quiet = quietSince();
            if (!quiet.equals(saidEmptyAs) && clock.next() == null && clock.closed() == null && !anyHolds()) {
                saidEmptyAs = quiet;
                forward(
                        WindowPartial.progress(
                                partition, partitions(), Long.MIN_VALUE, false, true, takeStragglers(), null),
                        idle.time());
            }
            advance();
            return;
        }
        long idleAt = source.idleSeen.values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
        long quietFor = idleAt - source.dataMaxReadAt;
        long advanced = source.dataMax + quietFor - spec.idleAfter().toMillis();
        if (source.clock == null || advanced > source.clock) {
            source.clock = advanced;
            sourcesChanged = true;
        }
        advance();
    }

    /**
     * A source's end-of-input marker, through upstream partition {@code from}. Once it came through every upstream
     * partition the source no longer holds time; once every source known here has ended, every window closes.
     */
    private void onEndOfInput(PartitionOf from, SourceTime source) {
        source.ended.add(from.partition());
        source.upstreams = from.partitions();
        sourcesChanged = true;
        log.debug(
                "Partition {} has the end-of-input marker of source '{}' from upstream partition {}",
                partition,
                source.id,
                from);
        if (!source.hasEnded()) {
            return;
        }
        for (SourceTime other : sources.values()) {
            if (!other.hasEnded()) {
                if (partition == 0) {
                    log.info(
                            "{}: source '{}' has ended; source '{}' has not, windows go on with it",
                            aggregation.name(),
                            ControlChars.escape(source.id),
                            ControlChars.escape(other.id));
                }
                advance();
                return;
            }
        }
        long newest = clock.clock() != null ? clock.clock() : Long.MIN_VALUE;
        for (SourceTime s : sources.values()) {
            if (s.clock != null) {
                newest = Math.max(newest, s.clock);
            }
        }
        long upTo = newest != Long.MIN_VALUE
                ? spec.startOf(newest) + spec.sizeMs()
                : clock.closed() != null ? clock.closed() : Long.MIN_VALUE;
        if (newest != Long.MIN_VALUE && (clock.clock() == null || newest > clock.clock())) {
            setClock(clock.withClock(newest));
        }
        endedSources = new java.util.ArrayList<>(new java.util.TreeSet<>(sources.keySet()));
        closeUpTo(upTo, true);
        endedSources = List.of();
        sources.clear(); // every source has said its last: a new run starts afresh
        newestSeen = Long.MIN_VALUE;
        sourcesChanged = true;
    }

    /** Closes every window ending at or before {@code upTo}: a partial for each that has data, then progress. */
    private void closeUpTo(long upTo, boolean endOfInput) {
        Long closed = clock.closed();
        Long from = closed != null ? closed : clock.next();
        if (from == null) {
            if (endOfInput) {
                forward(
                        WindowPartial.progress(
                                partition, partitions(), Long.MIN_VALUE, true, false, takeStragglers(), null),
                        context.currentSystemTimeMs());
            }
            return;
        }
        if (upTo <= from && !endOfInput) {
            if (closed == null) {
                // from the first request on, a window before the clock minus grace is closed
                setClock(clock.withClosed(upTo));
                expireUpTo(Math.min(upTo, spec.startOf(expiryClock(clock.clock()) - spec.lateMs())));
            }
            return;
        }
        long end = Math.max(upTo, from);
        sendRevisions(Long.MAX_VALUE);
        PartialBuilder[] building = new PartialBuilder[1];
        long[] lastSent = {Long.MIN_VALUE};
        counters.scan(from, end, (window, dimension, item, count) -> {
            PartialBuilder builder = building[0];
            if (builder == null || builder.window != window) {
                if (builder != null) {
                    lastSent[0] = send(builder);
                }
                building[0] = builder = new PartialBuilder(window);
            }
            builder.add(dimension, item, count);
        });
        if (building[0] != null) {
            lastSent[0] = send(building[0]);
        }
        if (!spec.revises()) {
            counters.delete(from, end);
        }
        setClock(clock.withClosed(end));
        if (lastSent[0] < end || endOfInput) {
            forward(
                    WindowPartial.progress(
                            partition, partitions(), end, endOfInput, false, takeStragglers(), clock.expired()),
                    end);
        }
        Long now = clock.clock();
        expireUpTo(endOfInput || now == null ? end : Math.min(end, spec.startOf(expiryClock(now) - spec.lateMs())));
    }

    /**
     * The time the dropping of windows follows: the partition's clock, held back by a source that fell silent
     * behind it (by at most {@link #SOURCE_BACKLOG_MS}), so that the backlog it sends when it comes back still finds
     * its windows and revises them, instead of being late.
     */
    private long expiryClock(long now) {
        long at = now;
        for (var it = sources.values().iterator(); it.hasNext(); ) {
            SourceTime source = it.next();
            if (source.hasEnded() || source.clock == null || source.clock >= now) {
                continue;
            }
            if (now - source.clock > SOURCE_BACKLOG_MS && !holds(source)) {
                // Silent and further behind than any backlog it could still count: forgotten (a log file that
                // is no longer written, e.g. yesterday's), so sources do not pile up in a long live run.
                log.info(
                        "Partition {} of {}: source '{}' forgotten, silent and {} behind",
                        partition,
                        aggregation.name(),
                        ControlChars.escape(source.id),
                        io.httpmon.common.Times.span(now - source.clock));
                it.remove();
                sourcesChanged = true;
                continue;
            }
            at = Math.min(at, Math.max(source.clock, now - SOURCE_BACKLOG_MS));
        }
        return at;
    }

    /** Sends a closed window's partial; returns how far it says this partition has closed (the window's end). */
    private long send(PartialBuilder builder) {
        long end = builder.window + spec.sizeMs();
        WindowSetStore.Items items = distinct == null
                ? null
                : spec.revises() ? distinct.peek(builder.window) : distinct.take(builder.window);
        forward(builder.build(end, takeStragglers(), items, clock.expired()), end);
        return end;
    }

    /**
     * Sends a revised partial (the window's full counts on this partition) for each dirty window before
     * {@code before}: once per window per step of the clock, never once per request.
     */
    private void sendRevisions(long before) {
        while (!dirty.isEmpty() && dirty.first() < before) {
            long window = dirty.pollFirst();
            PartialBuilder builder = new PartialBuilder(window);
            counters.scan(
                    window, window + spec.sizeMs(), (w, dimension, item, count) -> builder.add(dimension, item, count));
            forward(
                    builder.build(
                            clock.closed(),
                            Stragglers.NONE,
                            distinct != null ? distinct.peek(window) : null,
                            clock.expired()),
                    window + spec.sizeMs());
        }
    }

    /** Drops the windows before {@code upTo} (revised ones are sent first): a request for one is late from now on. */
    private void expireUpTo(long upTo) {
        if (!spec.revises()) {
            return; // dropped when handed on
        }
        Long expired = clock.expired();
        if (expired != null && upTo <= expired) {
            return;
        }
        sendRevisions(upTo);
        Long from = expired != null ? expired : clock.next();
        if (from != null && from < upTo) {
            counters.delete(from, upTo);
        }
        if (distinct != null) {
            distinct.removeBefore(upTo);
        }
        setClock(clock.withExpired(upTo));
    }

    private void forward(WindowPartial partial, long timestamp) {
        List<String> ended = partial.endOfInput() && !endedSources.isEmpty() ? endedSources : partial.endedSources();
        Map<String, Long> read = sources.isEmpty() ? partial.readUpTo() : partial.empty() ? quietSince() : readUpTo();
        partial = partial.withSources(ended, read);
        context.forward(new Record<>(MERGE_KEY, partial, timestamp));
    }

    /** Per source, the newest of its reader's clock among its records here (see {@link WindowPartial#readUpTo}). */
    private Map<String, Long> readUpTo() {
        Map<String, Long> read = new HashMap<>();
        for (SourceTime source : sources.values()) {
            if (source.seenAt != Long.MIN_VALUE) {
                read.put(source.id, source.seenAt);
            }
        }
        return read;
    }

    /**
     * Per source idle through every upstream partition with no request here, the oldest of its latest heartbeats:
     * everything it read before reached this partition, so its next request here was read after that.
     */
    private Map<String, Long> quietSince() {
        Map<String, Long> quiet = new HashMap<>();
        for (SourceTime source : sources.values()) {
            if (source.idleEmpty && !source.idleSeen.isEmpty()) {
                quiet.put(source.id, Collections.min(source.idleSeen.values()));
            }
        }
        return quiet;
    }

    /** The late and future requests since the last partial, now reported. */
    private Stragglers takeStragglers() {
        Map<String, SourceCounts> bySource = new HashMap<>();
        for (SourceTime source : sources.values()) {
            if (source.late > 0 || source.deadLetters > 0) {
                bySource.put(source.id, new SourceCounts(0, source.late, source.deadLetters));
                source.late = 0;
                source.deadLetters = 0;
                sourcesChanged = true;
            }
        }
        Stragglers stragglers =
                new Stragglers(clock.late(), clock.future(), clock.lateness(), clock.deadLetters(), bySource);
        setClock(clock.withoutStragglers());
        return stragglers;
    }

    private int partitions() {
        return Math.max(clock.partitions(), partition + 1);
    }

    private void setClock(ClockState c) {
        if (c != clock) {
            clock = c;
            clockStore.set(c);
        }
    }

    /** Where the counter's tally of one request goes: the counters of its window. */
    private final class WindowTally implements WindowCounter.Tally {
        long window;

        @Override
        public <T> void item(Dimension<T> dimension, T item) {
            counters.increment(window, dimension.code(), dimension.encode().apply(item), 1);
        }

        @Override
        public <T> void add(Dimension<T> dimension, T item, long amount) {
            counters.increment(window, dimension.code(), dimension.encode().apply(item), amount);
        }

        @Override
        public void sum(long amount) {
            counters.increment(window, Dimension.SUM, "", amount);
        }

        @Override
        public void distinct(String item) {
            distinct.add(window, item);
        }
    }

    /** Collects one window's counters into a bounded summary while the store is scanned. */
    private final class PartialBuilder {
        final long window;
        long hits;
        long sum;
        final Map<String, PriorityQueue<Map.Entry<String, Long>>> top = new HashMap<>();
        /**
         * The complete dimensions' items, in the order the store gives them: every one goes to the partial, so
         * neither a heap nor an order by count (alert's clients: a few thousand a second, most of them tied at one).
         */
        final Map<String, Map<String, Long>> all = new HashMap<>();

        final Map<String, Long> sourceHits = new HashMap<>();

        PartialBuilder(long window) {
            this.window = window;
        }

        void add(byte code, String item, long count) {
            if (code == Dimension.HITS) {
                hits += count;
                return;
            }
            if (code == Dimension.SUM) {
                sum += count;
                return;
            }
            if (code == Dimension.SOURCE) {
                sourceHits.put(item, count);
                return;
            }
            Dimension<?> dimension = dimensionsByCode.get(code);
            if (dimension == null) {
                return; // a counter this aggregation no longer counts (left by an older version)
            }
            if (dimension.complete()) {
                all.computeIfAbsent(dimension.name(), d -> new LinkedHashMap<>())
                        .merge(item, count, Long::sum);
                return;
            }
            PriorityQueue<Map.Entry<String, Long>> heap =
                    top.computeIfAbsent(dimension.name(), d -> new PriorityQueue<>(TopItems.ASCENDING));
            heap.add(Map.entry(item, count));
            if (heap.size() > TOP_K) {
                heap.poll();
            }
        }

        /** @param items the window's distinct items, or null when the counter counts none */
        WindowPartial build(long closedUpTo, Stragglers stragglers, WindowSetStore.Items items, Long expiredUpTo) {
            Map<String, Map<String, Long>> topItems = new HashMap<>();
            top.forEach((d, heap) -> topItems.put(d, TopItems.toMap(heap)));
            topItems.putAll(all);
            return new WindowPartial(
                    partition,
                    partitions(),
                    window,
                    closedUpTo,
                    false,
                    false,
                    stragglers.late(),
                    stragglers.future(),
                    stragglers.lateness(),
                    hits,
                    sum,
                    topItems,
                    null,
                    items == null ? null : items.sketch(),
                    stragglers.deadLetters(),
                    expiredUpTo,
                    sources(stragglers),
                    List.of(),
                    Map.of(),
                    items == null || items.exact() == null ? null : WindowPartial.pack(items.exact()));
        }

        /** Per source: its hits in the window, its late requests and dead letters of {@code stragglers}. */
        private Map<String, SourceCounts> sources(Stragglers stragglers) {
            Map<String, SourceCounts> bySource = new HashMap<>(stragglers.bySource());
            sourceHits.forEach(
                    (source, hits) -> bySource.merge(source, new SourceCounts(hits, 0, 0), SourceCounts::plus));
            return bySource;
        }
    }

    /** One source's time on this partition, worked on in memory; saved as a {@link SourceClock}. */
    private final class SourceTime {
        final String id;
        Long clock;
        Long dataMax;
        Long dataMaxReadAt;
        long seenAt;
        final TreeSet<Integer> ended;
        int upstreams;
        long late;
        long deadLetters;
        /** The latest idle heartbeat through each upstream partition (reader's clock); rebuilt after a restart. */
        final Map<Integer, Long> idleSeen = new HashMap<>();
        /** Idle through every upstream partition without a request here. */
        boolean idleEmpty;
        /** Whether it was last said to be silent. */
        boolean saidSilent;

        SourceTime(String id, SourceClock saved) {
            this.id = id;
            clock = saved.clock();
            dataMax = saved.dataMax();
            dataMaxReadAt = saved.dataMaxReadAt();
            seenAt = saved.seenAt();
            ended = new TreeSet<>(saved.ended());
            upstreams = saved.upstreams();
            late = saved.late();
            deadLetters = saved.deadLetters();
        }

        /** A record of this source came, read or sent at {@code readerClock}. */
        void seen(long readerClock) {
            if (readerClock > seenAt) {
                seenAt = readerClock;
                newestSeen = Math.max(newestSeen, readerClock);
                sourcesChanged = true;
            }
        }

        boolean hasEnded() {
            return upstreams > 0 && ended.size() >= upstreams;
        }

        SourceClock saved() {
            return new SourceClock(clock, dataMax, dataMaxReadAt, seenAt, ended, upstreams, late, deadLetters);
        }
    }
}
