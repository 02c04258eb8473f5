package io.httpmon.alert;

import io.httpmon.common.config.AlertRule;
import java.time.Duration;
import java.util.List;

/**
 * @param rules the rules evaluated together
 * @param grace how long to wait for out-of-order requests after a second ends
 * @param idleAfter wall-clock quiet after which the clock follows the wall clock
 */
public record AlertSettings(List<AlertRule> rules, Duration grace, Duration idleAfter) {

    public AlertSettings {
        rules = List.copyOf(rules);
        long distinct = rules.stream().map(AlertRule::name).distinct().count();
        if (distinct != rules.size()) {
            throw new io.httpmon.common.UsageException("alert rule names must be unique");
        }
    }
}
