package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage one's counters: a complete dimension's items kept together, one record per window and dimension, counted,
 * scanned and deleted as the per-item counters are.
 */
class CounterStoreTest {

    private static final byte SECTION = 's';
    private static final byte CLIENT = 'c';

    @TempDir
    File dir;

    private KeyValueStore<CounterKey, Long> inner;
    private KeyValueStore<Bytes, byte[]> packed;

    @BeforeEach
    void stores() {
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(new Properties(), new TaskId(0, 0), dir);
        inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counters"), CounterKey.SERDE, Serdes.Long())
                .withLoggingDisabled()
                .build();
        packed = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("packed"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        add(context, inner);
        add(context, packed);
    }

    private static void add(MockProcessorContext<?, ?> context, StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    /** What a scan visits, as "window dimension item=count" in visiting order. */
    private static List<String> scan(CounterStore store, long from, long to) {
        List<String> seen = new ArrayList<>();
        store.scan(
                from,
                to,
                (window, dimension, item, count) ->
                        seen.add(window + " " + (char) dimension + " " + item + "=" + count));
        return seen;
    }

    private static long count(KeyValueStore<?, ?> store) {
        long n = 0;
        try (KeyValueIterator<?, ?> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void aCompleteDimensionIsOneRecordPerWindowWhateverItsItems() {
        CounterStore store = new CounterStore(inner, packed, List.of(CLIENT));
        for (int batch = 0; batch < 3; batch++) {
            for (int client = 0; client < 500; client++) {
                store.increment(1_000, CLIENT, "10.0.0." + client, 1);
                store.increment(2_000, CLIENT, "10.0.1." + (client % 7), 2);
            }
            store.increment(1_000, SECTION, "/a", 500);
            store.save();
        }
        assertEquals(2, count(packed), "one record per window, not 507 counters");
        assertEquals(1, count(inner), "the section's counter");

        Map<String, Long> clients = new TreeMap<>();
        List<String> order = new ArrayList<>();
        store.scan(0, 3_000, (window, dimension, item, count) -> {
            order.add(window + " " + (char) dimension);
            if (dimension == CLIENT && window == 1_000) {
                clients.put(item, count);
            }
        });
        assertEquals(500, clients.size());
        assertEquals(3L, clients.get("10.0.0.499"), "three batches added up");
        assertEquals(
                List.of("1000 s", "1000 c", "2000 c"),
                order.stream().distinct().toList(),
                "window by window: a window's packed items with its own counters, in window order");
        assertEquals(7, scan(store, 2_000, 3_000).size(), "window 2000: its 7 clients");
        // 71 of the 500 clients are 3 modulo 7, each time adding 2, in three batches
        assertEquals(
                "2000 c 10.0.1.3=426",
                scan(store, 2_000, 3_000).stream()
                        .filter(l -> l.contains("10.0.1.3="))
                        .findFirst()
                        .orElseThrow());

        store.delete(0, 2_000);
        assertEquals(1, count(packed), "window 1000 gone, 2000 kept");
        assertEquals(0, count(inner));
        assertEquals(7, scan(store, 0, 10_000).size());
    }

    @Test
    void countersOfAVersionThatDidNotPackAreAddedToThePackedOnes() {
        CounterStore old = new CounterStore(inner);
        old.increment(5_000, CLIENT, "10.0.0.1", 4);
        old.increment(5_000, CLIENT, "10.0.0.2", 1);
        old.increment(6_000, CLIENT, "10.0.0.9", 2);
        old.save();

        CounterStore store = new CounterStore(inner, packed, List.of(CLIENT));
        store.increment(5_000, CLIENT, "10.0.0.1", 1);
        store.increment(5_000, CLIENT, "10.0.0.3", 1);
        store.save();
        assertEquals(
                List.of("5000 c 10.0.0.1=5", "5000 c 10.0.0.2=1", "5000 c 10.0.0.3=1", "6000 c 10.0.0.9=2"),
                scan(store, 0, 10_000).stream().sorted().toList(),
                "each item once, its counts added");
    }

    @Test
    void packedCountsRoundTripWithAnyItem() {
        Map<String, long[]> items = new java.util.HashMap<>();
        items.put("", new long[] {1});
        items.put("2001:db8::1", new long[] {300});
        items.put("ünïcode \u0007", new long[] {Long.MAX_VALUE});
        Map<String, long[]> back = PackedCounts.decode(PackedCounts.encode(items));
        assertEquals(3, back.size());
        items.forEach((item, count) -> assertEquals(count[0], back.get(item)[0], item));
    }
}
