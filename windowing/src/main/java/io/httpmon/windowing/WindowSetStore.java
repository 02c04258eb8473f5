package io.httpmon.windowing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** The items of a window taken out of the store: exactly, or as a sketch's registers. */
    record Items(List<String> exact, byte[] sketch) {

        long distinct() {
            return sketch != null ? new HyperLogLog(sketch).estimate() : exact.size();
        }
    }

    private static final class WindowSet {
        Set<String> exact = new HashSet<>();
        /** The items of the chunk being filled, saved or not. */
        List<String> open = new ArrayList<>();

        boolean openUnsaved;
        HyperLogLog sketch;
        boolean sketchUnsaved;
        /** The number of the chunk being filled. */
        int openChunk;
        /** Whether the store holds exact chunks of this window (to delete once it becomes a sketch). */
        boolean chunksSaved;
    }

    private final KeyValueStore<Bytes, byte[]> inner;
    private final int exactCap;
    private final Map<Long, WindowSet> windows = new HashMap<>();
    /** Whether {@link #windows} holds what the inner store holds: not until restoration from the changelog ended. */
    private boolean loaded;

    WindowSetStore(KeyValueStore<Bytes, byte[]> inner, int exactCap) {
        this.inner = inner;
        this.exactCap = exactCap;
    }

    /** Adds {@code item} to the set of {@code window}. */
    void add(long window, String item) {
        load();
        WindowSet set = windows.computeIfAbsent(window, w -> new WindowSet());
        if (set.sketch != null) {
            set.sketchUnsaved |= set.sketch.add(item);
        } else if (set.exact.add(item)) {
            set.open.add(item);
            set.openUnsaved = true;
            if (set.exact.size() > exactCap) {
                set.sketch = new HyperLogLog();
                set.exact.forEach(set.sketch::add);
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
            return new Items(List.of(), null);
        }
        return set.sketch != null ? new Items(null, set.sketch.bytes()) : new Items(List.copyOf(set.exact), null);
    }

    /** Removes the sets of every window before {@code bound}. */
    void removeBefore(long bound) {
        load();
        List<Long> gone = windows.keySet().stream().filter(w -> w < bound).toList();
        for (Long window : gone) {
            windows.remove(window);
            deleteSaved(window);
        }
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
                inner.put(key(window, set.openChunk), encode(set.open));
                set.openUnsaved = false;
                set.chunksSaved = true;
                if (set.open.size() >= CHUNK_ITEMS) {
                    set.openChunk++;
                    set.open = new ArrayList<>();
                }
            }
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        windows.clear();
        try (KeyValueIterator<Bytes, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                WindowKey key = WindowKey.of(kv.key);
                long window = key.window();
                int chunk = key.index();
                WindowSet set = windows.computeIfAbsent(window, w -> new WindowSet());
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

    static byte[] encode(List<String> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(items.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(items.size());
            for (String item : items) {
                byte[] utf8 = item.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return bytes.toByteArray();
    }

    static List<String> decode(byte[] chunk) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk))) {
            int n = in.readInt();
            List<String> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                items.add(new String(utf8, StandardCharsets.UTF_8));
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException("a saved chunk of window items is cut short", e);
        }
    }
}
