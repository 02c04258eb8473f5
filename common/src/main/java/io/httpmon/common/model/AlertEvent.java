package io.httpmon.common.model;

/**
 * One transition of a traffic alert rule, as published on {@code alerts} (key: the rule name).
 *
 * @param alert the rule's name, e.g. {@code alert_1}
 * @param state whether the rule began firing or resolved
 * @param hits the average hits per second over the rule's window at {@code at}, rounded down
 * @param average that average, unrounded
 * @param threshold the rule's threshold in hits per second
 * @param windowSeconds the rule's window
 * @param at the second of the transition, ISO-8601 UTC
 * @param triggeredAt when the alert began firing
 * @param recoveredAt when it recovered (RESOLVED only)
 * @param message the line the original monitor printed
 */
public record AlertEvent(
        String alert,
        State state,
        long hits,
        double average,
        double threshold,
        int windowSeconds,
        String at,
        String triggeredAt,
        String recoveredAt,
        String message) {

    /** The two transitions; in JSON by name. */
    public enum State {
        FIRING,
        RESOLVED
    }
}
