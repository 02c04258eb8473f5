package io.httpmon.windowing;

import io.httpmon.common.Control;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.ThrottledWarning;
import io.httpmon.common.Times;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.TimedBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage one of the two-stage aggregation: counts the requests of one {@code requests} partition (batches of them,
 * each request at its own event time) per event-time window, and when a window closes sends its summary ({@link WindowPartial}) to the single merging task.
 *
 * <p>Each request updates a few counters in a persistent (RocksDB) store, keyed by window, dimension and item, so
 * memory stays bounded however many distinct resources or users a window has, and the counts are as exactly-once as
 * the store's changelog. Client hosts, which are counted only as distinct, go to a {@link WindowSetStore} instead:
 * exact up to {@link #EXACT_HOSTS} per window, a sketch beyond. The partition's clock is the largest event time it
 * has seen; a window closes when that clock passes its end plus the grace period. A request for a window that is
 * already closed is counted as late. When the reader says the file is idle (a heartbeat from every upstream
 * partition), the clock moves on by as long as the log has been quiet, measured on the reader's clock (see
 * {@link #onIdle}), so windows close and alerts recover when traffic stops. The end-of-input marker of every
 * upstream partition closes every window at once. Work is per request and per window with data: a jump of the
 * clock by a year costs what a jump by a second costs (one range scan over the windows that have data).
 */
public final class PartialWindowProcessor implements Processor<byte[], TimedBatch, String, WindowPartial> {

    /** Hosts of a window shipped as a list up to this many; beyond it, as a HyperLogLog sketch. */
    public static final int EXACT_HOSTS = 10_000;
    /** Items per dimension a partial carries (the most frequent ones). */
    public static final int TOP_K = 1000;
    /** The fields of a request the statistics count (see {@link #count}). */
    static final java.util.Set<RequestBatchSerde.Column> COUNTED = java.util.EnumSet.of(
            RequestBatchSerde.Column.HOST, RequestBatchSerde.Column.USER, RequestBatchSerde.Column.METHOD,
            RequestBatchSerde.Column.RESOURCE, RequestBatchSerde.Column.SECTION, RequestBatchSerde.Column.STATUS,
            RequestBatchSerde.Column.BYTES, RequestBatchSerde.Column.TIMESTAMP);

    /** The key of every partial: they all go to one merging task. */
    public static final String MERGE_KEY = "all";

    private static final Logger log = LoggerFactory.getLogger(PartialWindowProcessor.class);

    private static final byte WINDOW = CounterStore.WINDOW;
    private static final byte META = 'M';
    private static final byte END_MARK = 'E';
    private static final byte HITS = 'h';
    private static final byte BYTES = 'b';
    private static final Bytes MAX_TIME = meta("max");
    private static final Bytes NEXT = meta("next");
    private static final Bytes CLOSED = meta("closed");
    /** Windows before this are gone: a request for one is late. Equal to CLOSED when windows are never revised. */
    private static final Bytes EXPIRED = meta("expired");
    /** The largest lateness (clock minus time) of a request after its window's grace, since the last partial. */
    private static final Bytes LATENESS = meta("lateness");
    private static final Bytes LATE = meta("late");
    private static final Bytes FUTURE = meta("future");
    /** The newest request's time, and when the reader read it (its clock): where the idle clock starts from. */
    private static final Bytes DATA_MAX = meta("data-max");
    private static final Bytes DATA_MAX_READ_AT = meta("data-max-read-at");

    /** One warning a minute per kind of processor (not per partition), with the figures of all partitions. */
    private static final Map<String, ThrottledWarning> LATE_WARNINGS = new ConcurrentHashMap<>();

    private final WindowSpec spec;
    private final String storeName;
    private final boolean detailed;

    private ProcessorContext<String, WindowPartial> context;
    private CounterStore store;
    private WindowSetStore hosts;
    private int partition;
    /** The latest idle heartbeat (reader's wall clock) of each upstream raw-lines partition; rebuilt after a restart. */
    private final java.util.Map<Integer, Long> idleSeen = new java.util.HashMap<>();
    private ThrottledWarning lateWarning;
    /**
     * Handed-on windows that requests within max lateness have changed since their last partial. Not saved: after
     * a crash the requests that made them dirty are processed again (exactly once: the input is read again from
     * the last commit).
     */
    private final TreeSet<Long> dirty = new TreeSet<>();

    /**
     * @param detailed count every dimension (stats); false counts hits only (alerts)
     */
    public PartialWindowProcessor(WindowSpec spec, String storeName, boolean detailed) {
        this.spec = spec;
        this.storeName = storeName;
        this.detailed = detailed;
    }

    @Override
    public void init(ProcessorContext<String, WindowPartial> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.hosts = detailed ? context.getStateStore(hostStoreName(storeName)) : null;
        metaValues.clear();
        this.partition = context.taskId().partition();
        idleSeen.clear();
        dirty.clear();
        long graceMs = spec.graceMs();
        long lateS = spec.lateMs() / 1000;
        // Said by the statistics only: the alerts see the same requests, and one line a minute is the promise.
        lateWarning = !detailed ? null : LATE_WARNINGS.computeIfAbsent(storeName, name -> new ThrottledWarning(log,
                (count, largest) -> count + " request" + (count == 1 ? "" : "s") + " came too late for their "
                        + "window, up to " + Times.span(largest) + " behind the newest (grace " + graceMs / 1000
                        + " s, max_lateness " + lateS + " s); counted as late. [Stats] max_lateness = "
                        + Math.min(86_400, (largest + 999) / 1000 + 1) + " would have counted them in their windows"));
    }

    @Override
    public void process(Record<byte[], TimedBatch> record) {
        TimedBatch batch = record.value();
        if (batch == null) {
            Header control = record.headers().lastHeader(Control.CONTROL);
            String kind = control == null ? null : new String(control.value(), StandardCharsets.UTF_8);
            if (Control.END_OF_INPUT.equals(kind)) {
                onEndOfInput(record);
            } else if (Control.IDLE.equals(kind)) {
                onIdle(record);
            }
            return;
        }
        if (batch.future() > 0) {
            add(FUTURE, batch.future());
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
            process(batch.time(i), batch.request(i), batch.readAt());
        }
    }

    /**
     * One request of a batch, at its own event time {@code t}; {@code readAt} is when the reader read it (its
     * clock). {@code request} is null when only the times were read (hits only).
     */
    private void process(long t, HttpRequest request, long readAt) {
        Long dataMax = getMeta(DATA_MAX);
        if (dataMax == null || t > dataMax) {
            putMeta(DATA_MAX, t);
            putMeta(DATA_MAX_READ_AT, readAt);
        }
        Long closed = getMeta(CLOSED);
        Long expired = spec.revises() ? getMeta(EXPIRED) : closed;
        if (expired != null && t < expired) {
            long lateness = getMeta(MAX_TIME) - t;
            add(LATE, 1);
            raise(LATENESS, lateness);
            if (lateWarning != null) {
                lateWarning.add(1, lateness);
            }
            return;
        }
        long window = spec.startOf(t);
        if (closed == null) {
            Long next = getMeta(NEXT);
            if (next == null || window < next) {
                putMeta(NEXT, window);
            }
        }
        count(window, request);
        if (closed != null && t < closed) {
            dirty.add(window); // handed on already, still within max lateness: a revision
            raise(LATENESS, getMeta(MAX_TIME) - t);
        }
        Long max = getMeta(MAX_TIME);
        if (max == null || t > max) {
            putMeta(MAX_TIME, t);
            closeUpTo(spec.startOf(t - spec.graceMs()), false);
        }
    }

    private void count(long window, HttpRequest r) {
        store.increment(window, HITS, "", 1);
        if (!detailed) {
            return;
        }
        if (r.bytes() != null) {
            store.increment(window, BYTES, "", r.bytes());
        }
        store.increment(window, Dimension.STATUS.code, statusClass(r.status()), 1);
        if (r.method() != null) {
            store.increment(window, Dimension.METHOD.code, r.method(), 1);
        }
        if (r.section() != null) {
            store.increment(window, Dimension.SECTION.code, r.section(), 1);
        }
        if (r.resource() != null) {
            store.increment(window, Dimension.RESOURCE.code, r.resource(), 1);
        }
        if (r.user() != null) {
            store.increment(window, Dimension.USER.code, r.user(), 1);
        }
        if (r.host() != null) {
            hosts.add(window, r.host());
        }
    }

    /** 2xx..5xx, or "other" for anything else (1xx, 0, 999, ...). */
    public static String statusClass(int status) {
        return status >= 200 && status < 600 ? (status / 100) + "xx" : "other";
    }

    /**
     * An idle heartbeat: the reader was at the end of the file with nothing new as of the record's timestamp (its
     * wall clock). When every upstream partition has said so, the clock moves to the newest request's time plus how
     * long the log has been quiet since the reader read that request (both on the reader's clock), minus
     * {@code idleAfter}; never backwards. So windows close and alerts recover when traffic stops, whatever the web
     * server's clock or time zone, after a historic log has been read (its windows close as the quiet goes on), and
     * after the monitor was stopped for a while (the pause counts as quiet). A request the reader publishes after
     * its heartbeat is read later than the newest one was, so the clock never passes its time minus the server's
     * skew: no window closes early. A stalled reader, parser or broker sends no heartbeat and closes nothing.
     */
    private void onIdle(Record<byte[], TimedBatch> record) {
        int[] from = fromPartition(record);
        idleSeen.put(from[0], record.timestamp());
        if (idleSeen.size() < from[1]) {
            return;
        }
        long idleAt = idleSeen.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        Long clock = getMeta(MAX_TIME);
        Long dataMax = getMeta(DATA_MAX);
        if (clock == null || dataMax == null) {
            return; // no request yet: nothing to close
        }
        long quietFor = idleAt - getMeta(DATA_MAX_READ_AT);
        long advanced = dataMax + quietFor - spec.idleAfter().toMillis();
        if (advanced > clock) {
            putMeta(MAX_TIME, advanced);
            closeUpTo(spec.startOf(advanced - spec.graceMs()), false);
        }
    }

    /** The {@code p/n} of a forwarded control record: upstream partition p of n (0 of 1 without the header). */
    private static int[] fromPartition(Record<byte[], TimedBatch> record) {
        Header from = record.headers().lastHeader(Control.FROM_PARTITION);
        if (from == null) {
            return new int[] {0, 1};
        }
        String[] parts = new String(from.value(), StandardCharsets.US_ASCII).split("/");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    private void onEndOfInput(Record<byte[], TimedBatch> record) {
        Header from = record.headers().lastHeader(Control.FROM_PARTITION);
        int upstream = 0;
        int upstreams = 1;
        if (from != null) {
            String[] parts = new String(from.value(), StandardCharsets.US_ASCII).split("/");
            upstream = Integer.parseInt(parts[0]);
            upstreams = Integer.parseInt(parts[1]);
        }
        store.put(endKey(upstream), 1L);
        log.info("Partition {} has the end-of-input marker of upstream partition {} of {}", partition, upstream,
                upstreams);
        List<Bytes> marks = new ArrayList<>();
        try (KeyValueIterator<Bytes, Long> it = store.range(endKey(0), endKey(Integer.MAX_VALUE))) {
            it.forEachRemaining(kv -> marks.add(kv.key));
        }
        if (marks.size() < upstreams) {
            return;
        }
        Long max = getMeta(MAX_TIME);
        Long closed = getMeta(CLOSED);
        long upTo = max != null ? spec.startOf(max) + spec.sizeMs() : closed != null ? closed : Long.MIN_VALUE;
        closeUpTo(upTo, true);
        marks.forEach(store::delete);
    }

    /** Closes every window ending at or before {@code upTo}: a partial for each that has data, then progress. */
    private void closeUpTo(long upTo, boolean endOfInput) {
        Long closed = getMeta(CLOSED);
        Long from = closed != null ? closed : getMeta(NEXT);
        if (from == null) {
            if (endOfInput) {
                context.forward(new Record<>(MERGE_KEY, WindowPartial.progress(partition, Long.MIN_VALUE, true,
                        take(LATE), take(FUTURE), take(LATENESS)), context.currentSystemTimeMs()));
            }
            return;
        }
        if (upTo <= from && !endOfInput) {
            if (closed == null) {
                putMeta(CLOSED, upTo); // from the first request on, a window before the clock minus grace is closed
                expireUpTo(Math.min(upTo, spec.startOf(getMeta(MAX_TIME) - spec.lateMs())));
            }
            return;
        }
        upTo = Math.max(upTo, from);
        sendRevisions(Long.MAX_VALUE);
        long lastSent = Long.MIN_VALUE;
        List<Bytes> done = new ArrayList<>();
        PartialBuilder builder = null;
        try (KeyValueIterator<Bytes, Long> it = store.range(windowKey(from), windowKey(upTo))) {
            while (it.hasNext()) {
                KeyValue<Bytes, Long> kv = it.next();
                ByteBuffer key = ByteBuffer.wrap(kv.key.get());
                long window = key.getLong(1) ^ Long.MIN_VALUE;
                if (builder == null || builder.window != window) {
                    if (builder != null) {
                        send(builder, builder.window + spec.sizeMs());
                        lastSent = builder.window + spec.sizeMs();
                    }
                    builder = new PartialBuilder(window);
                }
                builder.add(kv);
                done.add(kv.key);
            }
        }
        if (builder != null) {
            lastSent = builder.window + spec.sizeMs();
            send(builder, lastSent);
        }
        if (!spec.revises()) {
            done.forEach(store::delete);
        }
        putMeta(CLOSED, upTo);
        if (lastSent < upTo || endOfInput) {
            context.forward(new Record<>(MERGE_KEY, WindowPartial.progress(partition, upTo, endOfInput, take(LATE),
                    take(FUTURE), take(LATENESS)), upTo));
        }
        Long clock = getMeta(MAX_TIME);
        expireUpTo(endOfInput || clock == null ? upTo : Math.min(upTo, spec.startOf(clock - spec.lateMs())));
    }

    private void send(PartialBuilder builder, long closedUpTo) {
        WindowSetStore.Items windowHosts = hosts == null ? null
                : spec.revises() ? hosts.peek(builder.window) : hosts.take(builder.window);
        WindowPartial partial = builder.build(partition, closedUpTo, take(LATE), take(FUTURE), take(LATENESS),
                windowHosts);
        context.forward(new Record<>(MERGE_KEY, partial, builder.window + spec.sizeMs()));
    }

    /**
     * Sends a revised partial (the window's full counts on this partition) for each dirty window before
     * {@code before}: once per window per step of the clock, never once per request.
     */
    private void sendRevisions(long before) {
        while (!dirty.isEmpty() && dirty.first() < before) {
            long window = dirty.pollFirst();
            PartialBuilder builder = new PartialBuilder(window);
            try (KeyValueIterator<Bytes, Long> it = store.range(windowKey(window),
                    windowKey(window + spec.sizeMs()))) {
                it.forEachRemaining(builder::add);
            }
            WindowPartial partial = builder.build(partition, getMeta(CLOSED), 0, 0, 0,
                    hosts != null ? hosts.peek(window) : null);
            context.forward(new Record<>(MERGE_KEY, partial, window + spec.sizeMs()));
        }
    }

    /** Drops the windows before {@code upTo} (revised ones are sent first): a request for one is late from now on. */
    private void expireUpTo(long upTo) {
        if (!spec.revises()) {
            return; // dropped when handed on
        }
        Long expired = getMeta(EXPIRED);
        if (expired != null && upTo <= expired) {
            return;
        }
        sendRevisions(upTo);
        Long from = expired != null ? expired : getMeta(NEXT);
        if (from != null && from < upTo) {
            List<Bytes> done = new ArrayList<>();
            try (KeyValueIterator<Bytes, Long> it = store.range(windowKey(from), windowKey(upTo))) {
                it.forEachRemaining(kv -> done.add(kv.key));
            }
            done.forEach(store::delete);
        }
        if (hosts != null) {
            hosts.removeBefore(upTo);
        }
        putMeta(EXPIRED, upTo);
    }

    /** Raises the value at {@code key} to {@code value} if it is below (a largest-so-far figure). */
    private void raise(Bytes key, long value) {
        Long now = store.get(key);
        if (now == null || value > now) {
            store.put(key, value);
        }
    }

    /** The late or future count since the last partial, reset. */
    private long take(Bytes counter) {
        Long count = store.get(counter);
        if (count == null || count == 0) {
            return 0;
        }
        store.delete(counter);
        return count;
    }

    // The clock and window bookkeeping is read for every request: kept in fields too (write-through, so the store
    // and its changelog stay the truth, and a task re-initialised after a rebalance starts from them again).
    private final java.util.Map<Bytes, java.util.Optional<Long>> metaValues = new java.util.HashMap<>();

    private Long getMeta(Bytes key) {
        return metaValues.computeIfAbsent(key, k -> java.util.Optional.ofNullable(store.get(k))).orElse(null);
    }

    private void putMeta(Bytes key, long value) {
        store.put(key, value);
        metaValues.put(key, java.util.Optional.of(value));
    }

    private void add(Bytes key, long delta) {
        store.increment(key, delta);
    }

    /** The name of the hosts store that goes with the counter store {@code storeName}. */
    static String hostStoreName(String storeName) {
        return storeName + "-hosts";
    }

    private static Bytes meta(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[n.length + 1];
        key[0] = META;
        System.arraycopy(n, 0, key, 1, n.length);
        return Bytes.wrap(key);
    }

    private static Bytes endKey(int upstream) {
        return Bytes.wrap(ByteBuffer.allocate(5).put(END_MARK).putInt(upstream).array());
    }

    /** The first key of a window: windows sort by start (sign bit flipped for unsigned byte order). */
    private static Bytes windowKey(long window) {
        return Bytes.wrap(ByteBuffer.allocate(9).put(WINDOW).putLong(window ^ Long.MIN_VALUE).array());
    }


    /** Collects one window's counters into a bounded summary while the store is scanned. */
    private static final class PartialBuilder {
        final long window;
        long hits;
        long bytes;
        final Map<Dimension, PriorityQueue<Map.Entry<String, Long>>> top = new HashMap<>();
        final Map<Dimension, Long> distinct = new HashMap<>();

        PartialBuilder(long window) {
            this.window = window;
        }

        /** A counter of this window from the store: its key is window, dimension code, item. */
        void add(KeyValue<Bytes, Long> counter) {
            byte[] key = counter.key.get();
            add(key[9], new String(key, 10, key.length - 10, StandardCharsets.UTF_8), counter.value);
        }

        void add(byte code, String item, long count) {
            if (code == HITS) {
                hits += count;
                return;
            }
            if (code == BYTES) {
                bytes += count;
                return;
            }
            Dimension dimension = Dimension.of(code);
            if (dimension == null || dimension == Dimension.HOST) {
                return; // hosts are in the WindowSetStore; a host counter left by an older version is not a top item
            }
            distinct.merge(dimension, 1L, Long::sum);
            PriorityQueue<Map.Entry<String, Long>> heap = top.computeIfAbsent(dimension,
                    d -> new PriorityQueue<>(TopItems.ASCENDING));
            heap.add(Map.entry(item, count));
            if (heap.size() > TOP_K) {
                heap.poll();
            }
        }

        /** @param hosts the window's distinct hosts, or null when hosts are not counted (alerts) */
        WindowPartial build(int partition, long closedUpTo, long late, long future, long lateness,
                WindowSetStore.Items hosts) {
            Map<String, Map<String, Long>> topItems = new HashMap<>();
            top.forEach((d, heap) -> topItems.put(d.jsonName(), TopItems.toMap(heap)));
            Map<String, Long> distinctItems = new HashMap<>();
            distinct.forEach((d, n) -> distinctItems.put(d.jsonName(), n));
            if (hosts == null) {
                return new WindowPartial(partition, window, closedUpTo, false, late, future, lateness, hits, bytes,
                        topItems, distinctItems, List.of(), null);
            }
            distinctItems.put(Dimension.HOST.jsonName(), hosts.distinct());
            return new WindowPartial(partition, window, closedUpTo, false, late, future, lateness, hits, bytes,
                    topItems, distinctItems, hosts.exact(), hosts.sketch());
        }
    }
}
