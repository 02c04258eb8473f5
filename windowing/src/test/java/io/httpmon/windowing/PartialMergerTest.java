package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.httpmon.common.model.SourceCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A window's partials merged at once add up to what merging them one after the other gives. */
class PartialMergerTest {

    private static WindowPartial partial(int partition, Random random, int hosts) {
        Map<String, Long> clients = new HashMap<>();
        long[] hashes = new long[hosts];
        for (int i = 0; i < hosts; i++) {
            String host = "10.0." + random.nextInt(64) + "." + random.nextInt(256);
            clients.merge(host, 1L + random.nextInt(3), Long::sum);
            hashes[i] = ItemHash.of(host);
        }
        LongSet distinct = new LongSet(hosts);
        for (long h : hashes) {
            distinct.add(h);
        }
        return new WindowPartial(
                partition,
                6,
                60_000L,
                70_000L + partition,
                false,
                false,
                partition,
                1,
                1_000L * partition,
                hosts,
                7L * hosts,
                Map.of("clients", clients, "requests", Map.of("2/api", (long) hosts)),
                null,
                null,
                partition % 2,
                null,
                Map.of("web-" + partition % 2, new SourceCounts(hosts, partition, 0)),
                List.of(),
                Map.of(),
                WindowPartial.pack(distinct.toArray()));
    }

    private static void assertSameMerge(WindowPartial expected, WindowPartial actual) {
        PartialAssertions.assertSameFigures(expected, actual);
        assertEquals(PartialMerger.distinctCount(expected), PartialMerger.distinctCount(actual));
        // a sketch's bytes carry how it was fed (DataSketches' HIP state, its out-of-order flag); its registers, and so
        // the composite estimate a window reports, do not
        assertEquals(expected.distinctSketch() == null, actual.distinctSketch() == null);
        if (expected.distinctHashes() != null) {
            long[] a = expected.distinctItems().toArray();
            long[] b = actual.distinctItems().toArray();
            java.util.Arrays.sort(a);
            java.util.Arrays.sort(b);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void sixPartitionsMergedAtOnceAddUpAsOneAfterTheOther() {
        // an exact distinct set, then a union past EXACT_DISTINCT (~12,600 of 16,384 addresses): a sketch
        for (int hosts : new int[] {50, 4_000}) {
            Random random = new Random(hosts);
            List<WindowPartial> partials = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                partials.add(partial(p, random, hosts));
            }
            WindowPartial oneByOne = null;
            for (WindowPartial p : partials) {
                oneByOne = PartialMerger.merge(oneByOne, p);
            }
            WindowPartial atOnce = PartialMerger.mergeAll(partials);
            assertSameMerge(oneByOne, atOnce);
            if (hosts > 1_000) {
                assertNotNull(atOnce.distinctSketch(), "past the exact set's cap");
            } else {
                assertNull(atOnce.distinctSketch());
            }
        }
    }

    @Test
    void oneOrNoPartialIsReturnedAsItIs() {
        WindowPartial only = partial(2, new Random(1), 10);
        assertSame(only, PartialMerger.mergeAll(List.of(only)));
        assertNull(PartialMerger.mergeAll(List.of()));
    }
}
