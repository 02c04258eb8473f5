package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WindowSetStoreTest {

    private static final int CAP = 1_000;

    /** What the changelog restores after a crash: the saved records, nothing of the in-memory sets. */
    private KeyValueStore<Bytes, byte[]> saved;

    private WindowSetStore store;

    @BeforeEach
    void open() {
        saved = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("hosts"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        saved.init(new MockProcessorContext<>().getStateStoreContext(), saved);
        store = new WindowSetStore(saved, CAP);
    }

    /** The same saved records under a new store instance, as after a restart. */
    private WindowSetStore restarted() {
        return new WindowSetStore(saved, CAP);
    }

    /** The hashes a window's set holds for these items. */
    private static Set<Long> hashes(String... items) {
        Set<Long> hashes = new HashSet<>();
        for (String item : items) {
            hashes.add(ItemHash.of(item));
        }
        return hashes;
    }

    private static Set<Long> set(long[] items) {
        Set<Long> set = new HashSet<>();
        for (long item : items) {
            assertTrue(set.add(item), "each item once");
        }
        return set;
    }

    private long savedRecords() {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = saved.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void aWindowHoldsEachItemOnceAndIsTakenOnce() {
        store.add(0, "10.0.0.1");
        store.add(0, "10.0.0.2");
        store.add(0, "10.0.0.1");
        store.add(10_000, "10.0.0.3");

        assertEquals(hashes("10.0.0.1", "10.0.0.2"), set(store.take(0).exact()));
        assertEquals(0, store.take(0).distinct());
        assertEquals(hashes("10.0.0.3"), set(store.take(10_000).exact()));
    }

    @Test
    void aWindowTakenAndAddedToAgainStartsEmptyAndItsNeighboursKeepTheirOwn() {
        // Adds mostly go to the window added to last; taking or dropping windows must not leave it pointing at a set
        // that is gone, and a window opened after a large one must not hold the large one's items.
        for (int i = 0; i < 900; i++) {
            store.add(0, "big-" + i);
        }
        store.add(10_000, "x");
        store.add(0, "big-0");
        assertEquals(900, store.take(0).exact().length);
        store.add(0, "late");
        store.add(20_000, "y");
        store.add(10_000, "x2");
        assertEquals(hashes("late"), set(store.take(0).exact()));
        store.removeBefore(15_000);
        store.add(10_000, "again");
        assertEquals(hashes("again"), set(store.take(10_000).exact()));
        assertEquals(hashes("y"), set(store.take(20_000).exact()));
    }

    @Test
    void whatWasSavedAtTheEndOfABatchSurvivesARestartAndWhatWasNotIsGone() {
        store.add(0, "a");
        store.add(0, "b");
        store.save(); // the end of a batch
        store.add(0, "c"); // the task dies within the next batch: its input is read again

        WindowSetStore again = restarted();
        again.add(0, "d");
        again.save();

        assertEquals(hashes("a", "b", "d"), set(restarted().take(0).exact()));
    }

    @Test
    void batchesRewriteOneRecordPerWindowNotOnePerItem() {
        for (int batch = 0; batch < 5; batch++) {
            for (int i = 0; i < 50; i++) { // 250 in all: under CHUNK_ITEMS, so one chunk
                store.add(0, "host-" + batch + "-" + i);
                store.add(10_000, "host-" + batch + "-" + i);
            }
            store.save();
        }

        assertEquals(2, savedRecords(), "one chunk per window, rewritten by each batch while it fills");
        assertEquals(250, restarted().take(0).exact().length);
        store.take(0);
        assertEquals(1, savedRecords(), "a taken window leaves nothing behind");
    }

    @Test
    void aFullChunkIsLeftAsItIsAndTheNextOneFillsAfterARestartToo() {
        WindowSetStore large = new WindowSetStore(saved, 100_000);
        int items = 7_500; // batches of 500: each save finds its chunk past CHUNK_ITEMS and leaves it
        for (int i = 0; i < items; i++) {
            large.add(0, "host-" + i);
            if (i % 500 == 499) {
                large.save();
            }
        }
        large.save();
        assertEquals(items / 500, savedRecords());

        WindowSetStore again = new WindowSetStore(saved, 100_000);
        again.add(0, "host-0"); // known: nothing to write
        again.add(0, "one more");
        again.save();
        assertEquals(
                items / 500 + 1, savedRecords(), "a chunk read back is never rewritten: the new item starts its own");
        assertEquals(items + 1, new WindowSetStore(saved, 100_000).take(0).exact().length);
    }

    @Test
    void pastTheCapAWindowIsASketchWithinItsErrorAndStaysOneRecord() {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            hosts.add("10." + (i / 65_536) + "." + (i / 256 % 256) + "." + (i % 256));
        }
        int i = 0;
        for (String host : hosts) {
            store.add(0, host);
            if (++i % 700 == 0) {
                store.save();
            }
        }
        store.save();

        assertEquals(1, savedRecords(), "the exact chunks are replaced by the sketch");
        WindowSetStore.Items items = restarted().take(0);
        assertNull(items.exact());
        assertTrue(Math.abs(items.distinct() - 20_000) < 20_000 * 0.05, "estimate " + items.distinct());
    }

    @Test
    void aChunkAnOlderVersionSavedAsTextIsReadAsTheSameItems() throws java.io.IOException {
        List<String> items = List.of("", "::1", "h\u00e9te", "\u001b[2J", "a\nb", "\ud83d\ude00", "10.0.0.1");
        // The older form: the item count, then each item's length and UTF-8 bytes.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(items.size());
            for (String item : items) {
                byte[] utf8 = item.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        }
        saved.put(new WindowKey(0, 0).bytes(), bytes.toByteArray());
        WindowSetStore again = restarted();
        again.add(0, "10.0.0.1"); // known, as text: counted once
        again.add(0, "10.0.0.2");
        again.save();
        assertEquals(
                hashes("", "::1", "h\u00e9te", "\u001b[2J", "a\nb", "\ud83d\ude00", "10.0.0.1", "10.0.0.2"),
                set(restarted().take(0).exact()));
    }

    @Test
    void aChunkHoldsEightBytesAnItemWhateverItsText() {
        for (int i = 0; i < 200; i++) {
            store.add(0, "2001:db8:ffff:ffff:ffff:ffff:ffff:" + Integer.toHexString(i));
        }
        store.save();
        try (KeyValueIterator<Bytes, byte[]> it = saved.all()) {
            assertEquals(8 + 8 * 200, it.next().value.length);
        }
        assertEquals(200, restarted().take(0).distinct());
    }
}
