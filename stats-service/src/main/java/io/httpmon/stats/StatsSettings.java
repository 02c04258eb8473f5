package io.httpmon.stats;

import java.time.Duration;

/**
 * @param intervalSeconds window length (the original's {@code [Stats] interval})
 * @param grace how long to wait for out-of-order requests after a window's end
 * @param top how many sections, resources and users the top lists have
 * @param idleAfter wall-clock quiet after which the clock follows the wall clock
 */
public record StatsSettings(int intervalSeconds, Duration grace, int top, Duration idleAfter) {
}
