package io.httpmon.windowing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The distinct items (stats: client hosts) of each open window of one task: exact up to a cap, a HyperLogLog sketch
 * beyond it, over a changelogged key-value store of Kafka Streams. The sets live in memory; at the end of each batch
 * ({@link #save}) the items new in it are written as part of the window's open chunk, rewritten until a save finds
 * it holding {@link #CHUNK_ITEMS} or more: one store write and changelog record per window per batch, not one per
 * item (in a log where most requests come from a new host, a record per item would be a store write and a
 * changelog record per request).
 *
 * <p>Keys: {@link WindowKey}s of the window and a chunk number; the sketch of a window that passed the cap has chunk
 * number {@link #SKETCH}, and its exact chunks are deleted. An instance is made by the processor's {@code init}, so
 * after a restart or a dirty close its memory is read again from the restored store.
 */
final class WindowSetStore {

    private static final int SKETCH = Integer.MAX_VALUE;
    /**
     * Items in a chunk from which the next save leaves it as it is and starts the next one. Each save rewrites the
     * open chunk whole, so an item is written about CHUNK_ITEMS / (new items per save) times: with 2,048, a replay's
     * batches (hundreds of new hosts each) wrote each host several times (a quarter of stats' CPU samples in
     * WindowSetStore on the bench file); with 256 about once, and a window at the cap is 40 records.
     */
    static final int CHUNK_ITEMS = 256;

    /** The items of a window taken out of the store: exactly (their {@link ItemHash}es), or as a sketch's registers. */
    record Items(long[] exact, byte[] sketch) {

        long distinct() {
            return sketch != null ? new HyperLogLog(sketch).estimate() : exact.length;
        }
    }

    private static final class WindowSet {
        LongSet exact;
        /** The items of the chunk being filled, saved or not. */
        long[] open = new long[16];

        int openSize;

        boolean openUnsaved;
        HyperLogLog sketch;
        boolean sketchUnsaved;
        /** The number of the chunk being filled. */
        int openChunk;
        /** Whether the store holds exact chunks of this window (to delete once it becomes a sketch). */
        boolean chunksSaved;

        WindowSet(int expected) {
            exact = new LongSet(expected);
        }
    }

    private final KeyValueStore<Bytes, byte[]> inner;
    private final int exactCap;
    private final Map<Long, WindowSet> windows = new HashMap<>();
    /** The window added to last and its set: a batch's requests mostly fall in one window (no boxed key each). */
    private long lastWindow;

    private WindowSet lastSet;
    /**
     * How many items the last window taken held exactly: a new window's set starts that large, not growing (and
     * rehashing) nine times on its way to thousands of hosts.
     */
    private int expected = 16;
    /** Whether {@link #windows} holds what the inner store holds: not until restoration from the changelog ended. */
    private boolean loaded;

    WindowSetStore(KeyValueStore<Bytes, byte[]> inner, int exactCap) {
        this.inner = inner;
        this.exactCap = exactCap;
    }

    /** Adds {@code item} to the set of {@code window}. */
    void add(long window, String item) {
        add(window, ItemHash.of(item));
    }

    /** Adds the item of hash {@code item} ({@link ItemHash}) to the set of {@code window}. */
    void add(long window, long item) {
        load();
        WindowSet set = lastSet;
        if (set == null || lastWindow != window) {
            set = windows.get(window);
            if (set == null) {
                set = new WindowSet(expected);
                windows.put(window, set);
            }
            lastWindow = window;
            lastSet = set;
        }
        if (set.sketch != null) {
            set.sketchUnsaved |= set.sketch.add(item);
        } else if (set.exact.add(item)) {
            if (set.openSize == set.open.length) {
                set.open = Arrays.copyOf(set.open, set.openSize * 2);
            }
            set.open[set.openSize++] = item;
            set.openUnsaved = true;
            if (set.exact.size() > exactCap) {
                HyperLogLog sketch = new HyperLogLog();
                set.exact.forEach(sketch::add);
                set.sketch = sketch;
                set.exact = null;
                set.open = null;
                set.sketchUnsaved = true;
            }
        }
    }

    /** Removes the set of {@code window} from the store and returns it (empty if nothing was added). */
    Items take(long window) {
        load();
        WindowSet set = windows.remove(window);
        lastSet = null;
        if (set != null) {
            expected = set.sketch != null ? exactCap : Math.max(16, set.exact.size());
        }
        deleteSaved(window);
        return items(set);
    }

    /** The set of {@code window}, left in the store (a window that may still be revised). */
    Items peek(long window) {
        load();
        return items(windows.get(window));
    }

    private static Items items(WindowSet set) {
        if (set == null) {
            return new Items(new long[0], null);
        }
        return set.sketch != null ? new Items(null, set.sketch.bytes()) : new Items(set.exact.toArray(), null);
    }

    /** Removes the sets of every window before {@code bound}. */
    void removeBefore(long bound) {
        load();
        List<Long> gone = windows.keySet().stream().filter(w -> w < bound).toList();
        for (Long window : gone) {
            windows.remove(window);
            deleteSaved(window);
        }
        lastSet = null;
    }

    /** Writes what changed since the last save: each window's open chunk with its new items, or its sketch. */
    void save() {
        if (!loaded) {
            return; // nothing added since the store was opened
        }
        for (Map.Entry<Long, WindowSet> e : windows.entrySet()) {
            long window = e.getKey();
            WindowSet set = e.getValue();
            if (set.sketch != null && set.sketchUnsaved) {
                if (set.chunksSaved) {
                    deleteSaved(window);
                    set.chunksSaved = false;
                }
                inner.put(key(window, SKETCH), set.sketch.bytes());
                set.sketchUnsaved = false;
            } else if (set.sketch == null && set.openUnsaved) {
                inner.put(key(window, set.openChunk), encode(set.open, set.openSize));
                set.openUnsaved = false;
                set.chunksSaved = true;
                if (set.openSize >= CHUNK_ITEMS) {
                    set.openChunk++;
                    set.open = new long[16];
                    set.openSize = 0;
                }
            }
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        windows.clear();
        lastSet = null;
        try (KeyValueIterator<Bytes, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                WindowKey key = WindowKey.of(kv.key);
                long window = key.window();
                int chunk = key.index();
                WindowSet set = windows.computeIfAbsent(window, w -> new WindowSet(16));
                if (chunk == SKETCH) {
                    set.sketch = new HyperLogLog(kv.value);
                    set.exact = null;
                    set.open = null;
                } else if (set.sketch == null) {
                    set.exact.addAll(decode(kv.value));
                    set.chunksSaved = true;
                    set.openChunk = Math.max(set.openChunk, chunk + 1); // a chunk read back is not added to
                }
            }
        }
        loaded = true;
    }

    private void deleteSaved(long window) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = inner.range(key(window, 0), key(window, SKETCH))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(inner::delete);
    }

    private static Bytes key(long window, int chunk) {
        return new WindowKey(window, chunk).bytes();
    }

    /** A chunk's form with hashes: this marker where the older form had its item count (never negative). */
    private static final int HASHES = -1;

    /** A chunk: {@link #HASHES}, the number of items, each item's hash (big-endian). */
    static byte[] encode(long[] items, int n) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + 8 * n);
        out.putInt(HASHES).putInt(n);
        for (int i = 0; i < n; i++) {
            out.putLong(items[i]);
        }
        return out.array();
    }

    /** The items of a chunk: hashes, or the strings an older version saved (hashed here). */
    static long[] decode(byte[] chunk) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk))) {
            int first = in.readInt();
            if (first == HASHES) {
                int n = in.readInt();
                if (n < 0 || n > (chunk.length - 8) / 8) {
                    throw new IOException(n + " items in " + chunk.length + " bytes");
                }
                long[] items = new long[n];
                for (int i = 0; i < items.length; i++) {
                    items[i] = in.readLong();
                }
                return items;
            }
            if (first < 0 || first > chunk.length / 4) {
                throw new IOException(first + " items in " + chunk.length + " bytes");
            }
            long[] items = new long[first];
            for (int i = 0; i < first; i++) {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                items[i] = ItemHash.of(new String(utf8, StandardCharsets.UTF_8));
            }
            return items;
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalStateException("a saved chunk of window items is cut short or damaged", e);
        }
    }
}
