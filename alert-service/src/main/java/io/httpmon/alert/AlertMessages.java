package io.httpmon.alert;

import io.httpmon.common.config.AlertRule;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** What an alert says, in the original's words for high traffic and in the same style for the other kinds. */
final class AlertMessages {

    private AlertMessages() {}

    /**
     * @param hits the average hits per second of the counted requests, rounded down (the original's figure)
     * @param value what the rule measured
     */
    static String firing(AlertRule rule, long hits, double value, String at) {
        String on = rule.section() == null ? "" : " on " + rule.section();
        return switch (rule.kind()) {
            case HIGH_TRAFFIC -> "High traffic" + on + " generated an alert - hits = " + hits + ", triggered at " + at;
            case LOW_TRAFFIC ->
                "Low traffic" + on + " generated an alert - hits = " + number(value) + ", triggered at " + at;
            case ERROR_RATIO ->
                "Error ratio alert " + rule.name() + " - " + statuses(rule) + on + " = " + value(rule, value) + " over "
                        + rule.windowSeconds() + " s, triggered at " + at;
            case STATUS_RATE ->
                "Status rate alert " + rule.name() + " - " + statuses(rule) + on + " = " + value(rule, value)
                        + "/s over " + rule.windowSeconds() + " s, triggered at " + at;
            case LATENCY ->
                "Latency alert " + rule.name() + " - " + quantile(rule) + on + " = " + value(rule, value) + " ms over "
                        + rule.windowSeconds() + " s, triggered at " + at;
            case CLIENT_RATE -> throw new IllegalArgumentException("a client_rate alert names its client");
        };
    }

    /** @param why null for a recovery, else why it resolved otherwise ("rule deleted") */
    static String resolved(AlertRule rule, String at, String why) {
        String on = rule.section() == null ? "" : " on " + rule.section();
        String line = switch (rule.kind()) {
            case HIGH_TRAFFIC -> "High traffic" + on + " alert recovered at " + at;
            case LOW_TRAFFIC -> "Low traffic" + on + " alert recovered at " + at;
            case ERROR_RATIO -> "Error ratio alert " + rule.name() + " recovered at " + at;
            case STATUS_RATE -> "Status rate alert " + rule.name() + " recovered at " + at;
            case LATENCY -> "Latency alert " + rule.name() + " recovered at " + at;
            case CLIENT_RATE -> throw new IllegalArgumentException("a client_rate alert names its client");
        };
        return why == null ? line : line + " (" + why + ")";
    }

    /** One client of a client_rate rule at or above its threshold ({@code value} requests/s). */
    static String clientFiring(AlertRule rule, String client, double value, String at) {
        return "Client rate alert " + rule.name() + " - client " + client + " = " + value(rule, value) + "/s over "
                + rule.windowSeconds() + " s, triggered at " + at;
    }

    /** @param why null for a recovery, else why it resolved otherwise ("rule deleted") */
    static String clientResolved(AlertRule rule, String client, String at, String why) {
        String line = "Client rate alert " + rule.name() + " - client " + client + " recovered at " + at;
        return why == null ? line : line + " (" + why + ")";
    }

    /** {@code count} clients of a client_rate rule at or above its threshold beyond its max_alerts. */
    static String beyondFiring(AlertRule rule, int count, String at) {
        return "Client rate alert " + rule.name() + " - " + count + " more client" + (count == 1 ? "" : "s") + " at or"
                + " above " + value(rule, rule.threshold()) + "/s than max_alerts = " + rule.maxAlerts()
                + ", triggered at " + at;
    }

    /** @param why null for a recovery, else why it resolved otherwise ("rule deleted") */
    static String beyondResolved(AlertRule rule, String at, String why) {
        String line = "Client rate alert " + rule.name() + " - no more clients beyond max_alerts, recovered at " + at;
        return why == null ? line : line + " (" + why + ")";
    }

    /**
     * The rule's summary with its placeholders filled in, or null when it has none.
     *
     * @param client a client_rate alert's client, else null
     */
    static String summary(AlertRule rule, double value, String at, String client) {
        if (rule.summary() == null) {
            return null;
        }
        return rule.summary()
                .replace("{client}", client != null ? client : "all clients")
                .replace("{value}", value(rule, value))
                .replace("{threshold}", value(rule, rule.threshold()))
                .replace("{section}", rule.section() == null ? "all sections" : rule.section())
                .replace("{time}", at);
    }

    /** A measure as people read it: a percentage for an error ratio, else a number of hits per second. */
    static String value(AlertRule rule, double value) {
        return rule.kind() == AlertRule.Kind.ERROR_RATIO ? number(value * 100) + "%" : number(value);
    }

    /** p99, p95, p50, p99.9... */
    private static String quantile(AlertRule rule) {
        return "p" + number(rule.quantile() * 100);
    }

    private static String statuses(AlertRule rule) {
        return String.join("+", rule.statuses());
    }

    /** At most two decimals, none when whole: 12, 2.5, 0.33. */
    static String number(double x) {
        return BigDecimal.valueOf(x)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
