package io.httpmon.windowing;

import java.time.Duration;

/**
 * Tumbling event-time windows aligned to the epoch.
 *
 * @param sizeMs window length
 * @param graceMs how long after a window's end (in event time) a window waits before it is handed on
 * @param lateMs how long after a window's end records for it still update it (each time a revision of it);
 *     at least {@code graceMs}, which means no revision
 * @param idleAfter quiet (on the reader's clock) the idle clock stays behind, see {@link PartialWindowProcessor}
 * @param sourceIdle how long (on the readers' clocks) a source may send nothing, not even a heartbeat, while others
 *     go on, before time stops waiting for it
 */
public record WindowSpec(long sizeMs, long graceMs, long lateMs, Duration idleAfter, Duration sourceIdle) {

    /** The default of {@link #sourceIdle}. */
    public static final Duration DEFAULT_SOURCE_IDLE = Duration.ofSeconds(60);

    /** Windows that are final at {@code graceMs}: never revised. */
    public WindowSpec(long sizeMs, long graceMs, Duration idleAfter) {
        this(sizeMs, graceMs, graceMs, idleAfter);
    }

    public WindowSpec(long sizeMs, long graceMs, long lateMs, Duration idleAfter) {
        this(sizeMs, graceMs, lateMs, idleAfter, DEFAULT_SOURCE_IDLE);
    }

    /** The same windows, waiting {@code idle} for a silent source. */
    public WindowSpec withSourceIdle(Duration idle) {
        return new WindowSpec(sizeMs, graceMs, lateMs, idleAfter, idle);
    }

    public WindowSpec {
        if (sizeMs <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + sizeMs + " ms");
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("grace must not be negative, got " + graceMs + " ms");
        }
        lateMs = Math.max(lateMs, graceMs);
        sourceIdle = sourceIdle == null ? DEFAULT_SOURCE_IDLE : sourceIdle;
    }

    /** Whether a window may be revised after it was handed on. */
    public boolean revises() {
        return lateMs > graceMs;
    }

    /** Start of the window holding {@code timestamp}. */
    public long startOf(long timestamp) {
        return Math.floorDiv(timestamp, sizeMs) * sizeMs;
    }
}
