package io.httpmon.stats;

import java.time.Duration;

/**
 * @param intervalSeconds window length (the original's {@code [Stats] interval})
 * @param grace how long to wait for out-of-order requests after a window's end
 * @param top how many sections, resources and users the top lists have
 * @param idleAfter quiet (on the reader's clock) the idle clock stays behind
 * @param maxLateness how long after a window's end a request still updates it, in a revised record
 *     ({@code [Stats] max_lateness}); not more than {@code grace}: no revisions
 */
public record StatsSettings(int intervalSeconds, Duration grace, int top, Duration idleAfter, Duration maxLateness) {

    /** {@code [Stats] max_lateness}'s default: a few minutes, more than Apache's slow requests take. */
    public static final Duration DEFAULT_MAX_LATENESS = Duration.ofMinutes(5);

    /** Settings whose windows are final at {@code grace} (no revisions). */
    public StatsSettings(int intervalSeconds, Duration grace, int top, Duration idleAfter) {
        this(intervalSeconds, grace, top, idleAfter, grace);
    }
}
