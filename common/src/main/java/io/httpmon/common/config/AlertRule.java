package io.httpmon.common.config;

import io.httpmon.common.UsageException;

/**
 * Fires when the average hits per second over the last {@code windowSeconds} seconds reaches {@code threshold}.
 *
 * @param name the rule's name (the config key, e.g. {@code alert_1}), also the alert records' key
 */
public record AlertRule(String name, double threshold, int windowSeconds) {

    /** The rule used when none is configured: 10 hits/s over 2 minutes. */
    public static final AlertRule DEFAULT = new AlertRule("default", 10, 120);

    public AlertRule {
        if (name == null || name.isBlank()) {
            throw new UsageException("an alert rule needs a name");
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new UsageException("alert " + name + ": the threshold must be a positive number, got " + threshold);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new UsageException("alert " + name + ": the window must be 1 to 86400 seconds, got " + windowSeconds);
        }
    }

    /** The same rule under another name. */
    public AlertRule withName(String newName) {
        return new AlertRule(newName, threshold, windowSeconds);
    }

    /**
     * Parses the original config's form, {@code THRESHOLD, WINDOW_SECONDS}, e.g. {@code 30, 120}.
     *
     * @throws UsageException saying what is accepted
     */
    public static AlertRule parse(String name, String value) {
        String[] parts = value.split(",");
        if (parts.length != 2) {
            throw new UsageException("alert " + name + " = " + value
                    + ": expected 'THRESHOLD, WINDOW_SECONDS', e.g. '10, 120'");
        }
        double threshold;
        int window;
        try {
            threshold = Double.parseDouble(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new UsageException("alert " + name + " = " + value + ": the threshold '" + parts[0].trim()
                    + "' is not a number (hits per second, e.g. 10 or 2.5)");
        }
        try {
            window = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new UsageException("alert " + name + " = " + value + ": the window '" + parts[1].trim()
                    + "' is not a whole number of seconds");
        }
        return new AlertRule(name, threshold, window);
    }
}
