package io.httpmon.stats;

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
 * 1% over 1 us to an hour is at most ~1,100 buckets a window, typically a few hundred.
 */
final class ResponseTimeBuckets {

    static final double ACCURACY = 0.01;
    /** The bucket of a response time of 0 (a cache hit logged as 0.000), which no logarithm has. */
    static final String ZERO = "0";

    private static final IndexMapping MAPPING = new LogarithmicMapping(ACCURACY);

    private ResponseTimeBuckets() {
    }

    /** The bucket of a response time in microseconds. */
    static String bucket(long micros) {
        return micros <= 0 ? ZERO : Integer.toString(MAPPING.index(micros) + 1_000_000);
    }

    /** p50, p90, p99 and max in milliseconds from a window's bucket counts; null without any. */
    static ResponseTimes quantiles(Map<String, Long> buckets) {
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
        return new ResponseTimes(quantile(sorted, count, 0.50), quantile(sorted, count, 0.90),
                quantile(sorted, count, 0.99), millis(sorted.lastKey()), count);
    }

    /** The value of the bucket holding the {@code ceil(q * count)}-th smallest time. */
    private static double quantile(TreeMap<Integer, Long> sorted, long count, double q) {
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

    private static double millis(int index) {
        if (index == Integer.MIN_VALUE) {
            return 0;
        }
        double ms = MAPPING.value(index) / 1000.0;
        return Math.round(ms * 1000.0) / 1000.0; // to the microsecond
    }
}
