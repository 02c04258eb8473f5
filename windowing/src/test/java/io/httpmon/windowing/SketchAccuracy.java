package io.httpmon.windowing;

import java.util.Locale;

/**
 * Measures the distinct-items sketch (docs/performance.md, "Distinct hosts"): relative error over 100 trials at each
 * count, and the cost of an add. Not a test: {@code java -cp ... io.httpmon.windowing.SketchAccuracy} (run it from an
 * IDE, or with the test classpath of this module).
 */
public final class SketchAccuracy {

    private SketchAccuracy() {}

    public static void main(String[] args) {
        int trials = 100;
        for (int n : new int[] {100, 1_000, 5_000, 10_001, 12_000, 15_000, 20_000, 30_000, 100_000, 1_000_000}) {
            double squares = 0;
            double worst = 0;
            for (int t = 0; t < trials; t++) {
                HyperLogLog sketch = new HyperLogLog();
                for (int i = 0; i < n; i++) {
                    sketch.add("10." + t + "." + i);
                }
                double error = (sketch.estimate() - n) / (double) n;
                squares += error * error;
                worst = Math.max(worst, Math.abs(error));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%,10d items: rms %.2f%%, worst %.2f%%%n",
                    n,
                    100 * Math.sqrt(squares / trials),
                    100 * worst);
        }
        String[] items = new String[2_000_000];
        for (int i = 0; i < items.length; i++) {
            items[i] = "10." + (i % 250) + "." + i;
        }
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            HyperLogLog sketch = new HyperLogLog();
            for (String item : items) {
                sketch.add(item);
            }
            System.out.printf(
                    Locale.ROOT,
                    "add: %.1f ns an item, %d bytes saved%n",
                    (System.nanoTime() - start) / (double) items.length,
                    sketch.bytes().length);
        }
    }
}
