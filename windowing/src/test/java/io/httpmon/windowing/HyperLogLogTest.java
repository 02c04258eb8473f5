package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The distinct-items sketch at small and large counts, merged, and saved. */
class HyperLogLogTest {

    private static HyperLogLog of(String prefix, int n) {
        HyperLogLog sketch = new HyperLogLog();
        for (int i = 0; i < n; i++) {
            sketch.add(prefix + i);
        }
        return sketch;
    }

    private static void assertWithin(double share, long expected, long estimate) {
        assertTrue(
                Math.abs(estimate - expected) <= expected * share,
                "estimate " + estimate + " for " + expected + ", more than " + share * 100 + "% off");
    }

    @Test
    void aFewHundredItemsAreCountedExactly() {
        assertEquals(300, of("10.0.0.", 300).estimate());
        assertEquals(0, new HyperLogLog().estimate());
    }

    @Test
    void whereTheSketchStartsItIsWithinFivePercent() {
        for (int n : new int[] {10_001, 12_000, 20_000}) {
            assertWithin(0.05, n, of("host-" + n + "-", n).estimate());
        }
    }

    @Test
    void aMillionItemsAreWithinFivePercentInFourKibibytes() {
        HyperLogLog sketch = of("198.51.", 1_000_000);
        assertWithin(0.05, 1_000_000, sketch.estimate());
        assertTrue(sketch.bytes().length < 4200, sketch.bytes().length + " bytes");
    }

    @Test
    void twoPartitionsSketchesMergeIntoTheUnion() {
        HyperLogLog a = of("a", 30_000);
        HyperLogLog b = of("a", 20_000); // a subset of a's items
        for (int i = 0; i < 30_000; i++) {
            b.add("b" + i);
        }
        a.merge(b.bytes());
        assertWithin(0.05, 60_000, a.estimate());
        HyperLogLog direct = new HyperLogLog();
        for (int i = 29_999; i >= 0; i--) {
            direct.add("b" + i);
            direct.add("a" + i);
        }
        assertEquals(
                direct.estimate(),
                a.estimate(),
                "the same items give the same count, however split and in whatever order");
    }

    @Test
    void aSavedSketchReadsBackTheSameAndGarbageIsRefused() {
        HyperLogLog sketch = of("x", 50_000);
        assertEquals(sketch.estimate(), new HyperLogLog(sketch.bytes()).estimate());
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(new byte[] {1, 2, 3}));
    }
}
