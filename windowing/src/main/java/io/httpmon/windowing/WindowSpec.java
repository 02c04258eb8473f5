package io.httpmon.windowing;

import java.time.Duration;

/**
 * Tumbling event-time windows aligned to the epoch.
 *
 * @param sizeMs window length
 * @param graceMs how long after a window's end (in event time) records for it are still accepted
 * @param idleAfter wall-clock time without records after which a partition's clock follows the wall clock
 */
public record WindowSpec(long sizeMs, long graceMs, Duration idleAfter) {

    public WindowSpec {
        if (sizeMs <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + sizeMs + " ms");
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("grace must not be negative, got " + graceMs + " ms");
        }
    }

    /** Start of the window holding {@code timestamp}. */
    public long startOf(long timestamp) {
        return Math.floorDiv(timestamp, sizeMs) * sizeMs;
    }
}
