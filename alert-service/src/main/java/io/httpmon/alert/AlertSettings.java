package io.httpmon.alert;

import io.httpmon.common.config.AlertRule;
import io.httpmon.windowing.WindowSpec;
import java.time.Duration;
import java.util.List;

/**
 * @param rules the rules evaluated together
 * @param grace how long to wait for out-of-order requests after a second ends
 * @param idleAfter wall-clock quiet after which the clock follows the wall clock
 * @param sourceIdle how long a source may send nothing while others go on before time stops waiting for it
 */
public record AlertSettings(List<AlertRule> rules, Duration grace, Duration idleAfter, Duration sourceIdle) {

    public AlertSettings(List<AlertRule> rules, Duration grace, Duration idleAfter) {
        this(rules, grace, idleAfter, WindowSpec.DEFAULT_SOURCE_IDLE);
    }

    public AlertSettings {
        rules = List.copyOf(rules);
        sourceIdle = sourceIdle == null ? WindowSpec.DEFAULT_SOURCE_IDLE : sourceIdle;
        long distinct = rules.stream().map(AlertRule::name).distinct().count();
        if (distinct != rules.size()) {
            throw new io.httpmon.common.UsageException("alert rule names must be unique");
        }
    }
}
