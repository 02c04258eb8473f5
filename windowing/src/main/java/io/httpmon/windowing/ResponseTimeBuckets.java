package io.httpmon.windowing;

import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import io.httpmon.common.model.StatsWindow.ResponseTimes;
import java.util.Map;
import java.util.TreeMap;

/**
 * Response times as the buckets of a DDSketch: bucket {@code i} holds the times whose logarithm to base
 * {@code (1 + a) / (1 - a)} rounds up to {@code i}, so any time in it is within a relative {@link #ACCURACY} of the
 * bucket's value. The windowing core counts a request in its bucket like any other item, which makes the sketch
 * exactly mergeable across partitions and revisable by late requests; a quantile is read from the merged counts.
 * 1% over 1 us to an hour is at most ~1,100 buckets a window, typically a few hundred; 5% (per section) a fifth.
 * Shared by the statistics (quantiles per window) and the alerts (a latency rule's quantile over its window).
 */
public final class ResponseTimeBuckets {

    /** The window's quantiles: within 1%. */
    public static final ResponseTimeBuckets WINDOW = new ResponseTimeBuckets(0.01);
    /** Per section (a bucket per section and time, so coarser): within 5%. */
    public static final ResponseTimeBuckets SECTION = new ResponseTimeBuckets(0.05);
    /** A latency rule's quantile over its window: within 2% (a bucket per section, second and time, kept a window). */
    public static final ResponseTimeBuckets ALERT = new ResponseTimeBuckets(0.02);

    /** The bucket of a response time of 0 (a cache hit logged as 0.000), which no logarithm has. */
    public static final String ZERO = "0";

    private final IndexMapping mapping;
    public final double accuracy;

    private ResponseTimeBuckets(double accuracy) {
        this.accuracy = accuracy;
        this.mapping = new LogarithmicMapping(accuracy);
    }

    /** The bucket of a response time in microseconds. */
    public String bucket(long micros) {
        return micros <= 0 ? ZERO : Integer.toString(index(micros));
    }

    /** The bucket of a response time in microseconds as a number: ordered as the times are; 0 for a time of 0. */
    public int index(long micros) {
        return micros <= 0 ? 0 : mapping.index(micros) + 1_000_000;
    }

    /**
     * The {@code q} quantile in milliseconds of the times counted by bucket {@code index} (see {@link #index}) in
     * {@code sorted}, {@code count} in all: the value of the bucket holding the {@code ceil(q * count)}-th smallest.
     */
    public double quantileMillis(java.util.SortedMap<Integer, Long> sorted, long count, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        int last = 0;
        for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
            seen += e.getValue();
            last = e.getKey();
            if (seen >= rank) {
                break;
            }
        }
        return last == 0 ? 0 : millis(last - 1_000_000);
    }

    /** p50, p90, p99 and max in milliseconds from a window's bucket counts; null without any. */
    public ResponseTimes quantiles(Map<String, Long> buckets) {
        if (buckets == null || buckets.isEmpty()) {
            return null;
        }
        TreeMap<Integer, Long> sorted = new TreeMap<>();
        long count = 0;
        for (Map.Entry<String, Long> e : buckets.entrySet()) {
            int index = e.getKey().equals(ZERO) ? Integer.MIN_VALUE : Integer.parseInt(e.getKey()) - 1_000_000;
            sorted.merge(index, e.getValue(), Long::sum);
            count += e.getValue();
        }
        if (count == 0) {
            return null;
        }
        return new ResponseTimes(
                quantile(sorted, count, 0.50),
                quantile(sorted, count, 0.90),
                quantile(sorted, count, 0.99),
                millis(sorted.lastKey()),
                count);
    }

    /**
     * The sections with the highest p99 of {@code top} in a window, with it (ms), from items {@code "SECTION BUCKET"}.
     */
    public Map<String, Double> slowest(Map<String, Long> sectionBuckets, int top) {
        if (sectionBuckets == null || sectionBuckets.isEmpty()) {
            return null;
        }
        Map<String, Map<String, Long>> bySection = new java.util.HashMap<>();
        sectionBuckets.forEach((item, count) -> {
            int space = item.lastIndexOf(' ');
            bySection
                    .computeIfAbsent(item.substring(0, space), s -> new java.util.HashMap<>())
                    .put(item.substring(space + 1), count);
        });
        java.util.List<Map.Entry<String, Double>> p99 = new java.util.ArrayList<>();
        bySection.forEach((section, buckets) ->
                p99.add(Map.entry(section, quantiles(buckets).p99())));
        p99.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        p99.stream().limit(top).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The value of the bucket holding the {@code ceil(q * count)}-th smallest time. */
    private double quantile(TreeMap<Integer, Long> sorted, long count, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return millis(e.getKey());
            }
        }
        return millis(sorted.lastKey());
    }

    private double millis(int index) {
        if (index == Integer.MIN_VALUE) {
            return 0;
        }
        double ms = mapping.value(index) / 1000.0;
        return Math.round(ms * 1000.0) / 1000.0; // to the microsecond
    }
}
