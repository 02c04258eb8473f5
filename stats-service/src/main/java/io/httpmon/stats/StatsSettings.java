package io.httpmon.stats;

import io.httpmon.common.config.MonitorSettings;
import io.httpmon.windowing.WindowSpec;
import java.time.Duration;
import java.util.List;

/**
 * @param intervalSeconds window length (the original's {@code [Stats] interval})
 * @param grace how long to wait for out-of-order requests after a window's end
 * @param top how many sections, resources and users the top lists have
 * @param idleAfter quiet (on the reader's clock) the idle clock stays behind
 * @param maxLateness how long after a window's end a request still updates it, in a revised record
 *     ({@code [Stats] max_lateness}); not more than {@code grace}: no revisions
 * @param sourceIdle how long a source may send nothing while others go on before time stops waiting for it
 *     ({@code [Stats] source_idle})
 * @param monitors the {@code [Stats NAME]} monitors, counted beside the default one
 */
public record StatsSettings(
        int intervalSeconds,
        Duration grace,
        int top,
        Duration idleAfter,
        Duration maxLateness,
        Duration sourceIdle,
        List<MonitorSettings> monitors) {

    public StatsSettings {
        monitors = List.copyOf(monitors);
    }

    public StatsSettings(
            int intervalSeconds,
            Duration grace,
            int top,
            Duration idleAfter,
            Duration maxLateness,
            Duration sourceIdle) {
        this(intervalSeconds, grace, top, idleAfter, maxLateness, sourceIdle, List.of());
    }

    /** These settings with the {@code [Stats NAME]} monitors {@code monitors} beside the default one. */
    public StatsSettings withMonitors(List<MonitorSettings> monitors) {
        return new StatsSettings(intervalSeconds, grace, top, idleAfter, maxLateness, sourceIdle, monitors);
    }

    public StatsSettings(int intervalSeconds, Duration grace, int top, Duration idleAfter, Duration maxLateness) {
        this(intervalSeconds, grace, top, idleAfter, maxLateness, WindowSpec.DEFAULT_SOURCE_IDLE);
    }

    /** {@code [Stats] max_lateness}'s default: a few minutes, more than Apache's slow requests take. */
    public static final Duration DEFAULT_MAX_LATENESS = Duration.ofMinutes(5);

    /** Settings whose windows are final at {@code grace} (no revisions). */
    public StatsSettings(int intervalSeconds, Duration grace, int top, Duration idleAfter) {
        this(intervalSeconds, grace, top, idleAfter, grace);
    }
}
