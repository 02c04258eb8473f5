package io.httpmon.common.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.httpmon.common.UsageException;
import io.httpmon.common.model.Section;
import io.httpmon.common.model.StatusClass;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One alert rule: what it measures over a window of event time ({@link Kind}), the level that fires it and the one
 * that recovers it, and what it says. Written to the {@code alert-rules} topic as JSON; every check is here, so a
 * rule on the topic is always a valid one.
 *
 * @param name the rule's name (the config key or section, e.g. {@code alert_1}), also the alert records' key and
 *     the {@code alertname} label
 * @param kind what is measured
 * @param threshold the level that fires it: hits per second, or a share from 0 to 1 for {@link Kind#ERROR_RATIO}
 * @param windowSeconds the window the measure is taken over, 1 to 86400 seconds
 * @param section only requests of this section count (e.g. {@code /api}); null: all
 * @param statuses the status classes that count for {@link Kind#ERROR_RATIO} and {@link Kind#STATUS_RATE}, e.g.
 *     {@code [5xx]}; empty for the traffic kinds
 * @param minHits error ratio: no verdict on a window with fewer requests
 * @param forSeconds how long the condition must hold before the alert fires (pending meanwhile)
 * @param recover the level that recovers it (hysteresis): below it for the kinds that fire above their threshold,
 *     above it for {@link Kind#LOW_TRAFFIC}; null: the threshold
 * @param labels the alert's labels besides {@code alertname}
 * @param summary one line for people, with {@code {value}}, {@code {threshold}}, {@code {section}}, {@code {time}}
 *     filled in; null: the alert's message
 * @param quantile {@link Kind#LATENCY}: the quantile of the response times measured, above 0 and at most 1 (null:
 *     {@link #DEFAULT_QUANTILE}); null for the other kinds
 * @param maxAlerts {@link Kind#CLIENT_RATE}: at most this many clients firing at once (null:
 *     {@link #DEFAULT_MAX_ALERTS}), the others counted in one more alert; null for the other kinds
 */
public record AlertRule(
        String name,
        Kind kind,
        double threshold,
        int windowSeconds,
        String section,
        List<String> statuses,
        int minHits,
        int forSeconds,
        Double recover,
        Map<String, String> labels,
        String summary,
        Double quantile,
        Integer maxAlerts) {

    /** What a rule measures. */
    public enum Kind {
        /** Average hits per second, fires at or above the threshold. */
        @JsonProperty("high_traffic")
        HIGH_TRAFFIC,
        /** Average hits per second, fires below the threshold (a site that went quiet). */
        @JsonProperty("low_traffic")
        LOW_TRAFFIC,
        /** The share of requests whose status class is one of the rule's, fires at or above the threshold. */
        @JsonProperty("error_ratio")
        ERROR_RATIO,
        /** Hits per second of the rule's status classes, fires at or above the threshold. */
        @JsonProperty("status_rate")
        STATUS_RATE,
        /**
         * Hits per second of any single client (the log's client after {@code [Log] client}), fires at or above the
         * threshold: one alert per client, the client in its labels.
         */
        @JsonProperty("client_rate")
        CLIENT_RATE,
        /** The rule's quantile of the response times, in milliseconds, fires at or above the threshold. */
        @JsonProperty("latency")
        LATENCY;

        /** Its name in the config and in JSON. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String s) {
            for (Kind k : values()) {
                if (k.key().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException(s);
        }
    }

    /** Error ratio rules give no verdict on windows with fewer requests than this, unless told otherwise. */
    public static final int DEFAULT_MIN_HITS = 10;

    /** The quantile a latency rule measures unless told otherwise: p99. */
    public static final double DEFAULT_QUANTILE = 0.99;

    /** The clients a client_rate rule fires for at once unless told otherwise. */
    public static final int DEFAULT_MAX_ALERTS = 10;

    /** The most {@code max_alerts} may be: each firing client is an alert in Alertmanager and on the page. */
    public static final int MAX_MAX_ALERTS = 1000;

    /** The label a client_rate alert names its client with. */
    public static final String CLIENT_LABEL = "client";

    /** The label of a client_rate rule's alert for the clients over its threshold beyond {@code max_alerts}. */
    public static final String OVERFLOW_LABEL = "clients";

    /** {@link #OVERFLOW_LABEL}'s value. */
    public static final String OVERFLOW_VALUE = "more_than_max_alerts";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("value", "threshold", "section", "time", "client");

    /** The rule used when none is configured: 10 hits/s over 2 minutes (after the patterns it is checked with). */
    public static final AlertRule DEFAULT = new AlertRule("default", 10, 120);

    public AlertRule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid(
                    null, "alert " + name + ": a rule's name is 1 to 100 letters, digits, '_', '.', ':' " + "or '-'");
        }
        if (kind == null) {
            kind = Kind.HIGH_TRAFFIC;
        }
        String prefix = "alert " + name + ": ";
        if (kind == Kind.ERROR_RATIO
                ? !(threshold > 0 && threshold <= 1)
                : !(threshold > 0) || Double.isInfinite(threshold)) {
            throw invalid(
                    "threshold",
                    prefix + "the threshold must be "
                            + (kind == Kind.ERROR_RATIO
                                    ? "a share above 0, at most 1 (e.g. 0.05)"
                                    : "a positive number")
                            + ", got " + threshold);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw invalid("window", prefix + "the window must be 1 to 86400 seconds, got " + windowSeconds);
        }
        if (section != null && !Section.isSection(section)) {
            throw invalid("section", prefix + "the section must be a path's first segment, e.g. /api, got " + section);
        }
        boolean byStatus = kind == Kind.ERROR_RATIO || kind == Kind.STATUS_RATE;
        statuses = statuses == null || statuses.isEmpty()
                ? (byStatus ? List.of("5xx") : List.of())
                : statuses.stream()
                        .map(s -> s.strip().toLowerCase(Locale.ROOT))
                        .distinct()
                        .sorted()
                        .toList();
        if (!byStatus && !statuses.isEmpty()) {
            throw invalid("status", prefix + "status applies to error_ratio and status_rate rules, not " + kind.key());
        }
        for (String s : statuses) {
            StatusClass parsed = StatusClass.parse(s);
            if (parsed == null || !StatusClass.NAMEABLE.contains(parsed)) {
                throw invalid(
                        "status",
                        prefix + "status " + s + " is not a status class; accepted: 1xx, 2xx, 3xx, "
                                + "4xx, 5xx (comma-separated)");
            }
        }
        if (kind == Kind.LATENCY) {
            if (quantile == null) {
                quantile = DEFAULT_QUANTILE;
            }
            if (!(quantile > 0 && quantile <= 1)) {
                throw invalid(
                        "quantile", prefix + "the quantile must be above 0 and at most 1 (e.g. 0.99), got " + quantile);
            }
        } else if (quantile != null) {
            throw invalid("quantile", prefix + "quantile applies to latency rules, not " + kind.key());
        }
        if (kind == Kind.CLIENT_RATE) {
            if (maxAlerts == null) {
                maxAlerts = DEFAULT_MAX_ALERTS;
            }
            if (maxAlerts < 1 || maxAlerts > MAX_MAX_ALERTS) {
                throw invalid(
                        "max_alerts",
                        prefix + "max_alerts must be 1 to " + MAX_MAX_ALERTS + " clients, got " + maxAlerts);
            }
            if (section != null) {
                throw invalid(
                        "section", prefix + "a client_rate rule counts every request of a client, not a section's");
            }
        } else if (maxAlerts != null) {
            throw invalid("max_alerts", prefix + "max_alerts applies to client_rate rules, not " + kind.key());
        }
        if (minHits < 0) {
            throw invalid("min_hits", prefix + "min_hits must not be negative, got " + minHits);
        }
        if (forSeconds < 0 || forSeconds > 86_400) {
            throw invalid("for", prefix + "'for' must be 0 to 86400 seconds, got " + forSeconds);
        }
        if (recover != null) {
            if (kind == Kind.LOW_TRAFFIC
                    ? !(recover >= threshold) || recover.isInfinite()
                    : !(recover > 0 && recover <= threshold)) {
                throw invalid(
                        kind == Kind.LOW_TRAFFIC ? "recover_above" : "recover_below",
                        prefix
                                + (kind == Kind.LOW_TRAFFIC
                                        ? "recover_above must be at least the threshold (" + threshold + "), got "
                                                + recover
                                        : "recover_below must be above 0 and at most the threshold (" + threshold
                                                + "), got " + recover));
            }
        }
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        for (var label : labels.entrySet()) {
            if (!LABEL_NAME.matcher(label.getKey()).matches()
                    || label.getKey().startsWith("__")
                    || label.getKey().equals("alertname")) {
                throw invalid(
                        "labels",
                        prefix + "label " + label.getKey() + ": a label name is a letter or '_' "
                                + "then letters, digits or '_' (not alertname, which is the rule's name, nor __...)");
            }
            if (kind == Kind.CLIENT_RATE
                    && (label.getKey().equals(CLIENT_LABEL) || label.getKey().equals(OVERFLOW_LABEL))) {
                throw invalid(
                        "labels",
                        prefix + "label " + label.getKey() + " is set by a client_rate rule on each of its alerts");
            }
            if (label.getValue() == null
                    || label.getValue().isEmpty()
                    || label.getValue().chars().anyMatch(Character::isISOControl)) {
                throw invalid(
                        "labels",
                        prefix + "label " + label.getKey() + " needs a value without control " + "characters");
            }
        }
        if (summary != null) {
            if (summary.isBlank() || summary.chars().anyMatch(Character::isISOControl)) {
                throw invalid("summary", prefix + "the summary must be one line of text");
            }
            var m = PLACEHOLDER.matcher(summary);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw invalid(
                            "summary",
                            prefix + "the summary's {" + m.group(1) + "} is not filled in; "
                                    + "accepted: {value}, {threshold}, {section}, {time}, {client}");
                }
            }
        }
    }

    /** A rule of the kinds that know neither a quantile nor max_alerts (the form before those were added). */
    public AlertRule(
            String name,
            Kind kind,
            double threshold,
            int windowSeconds,
            String section,
            List<String> statuses,
            int minHits,
            int forSeconds,
            Double recover,
            Map<String, String> labels,
            String summary) {
        this(
                name,
                kind,
                threshold,
                windowSeconds,
                section,
                statuses,
                minHits,
                forSeconds,
                recover,
                labels,
                summary,
                null,
                null);
    }

    /** A rule that cannot be: {@link #key} names the setting at fault (null: the name). */
    public static final class InvalidRule extends UsageException {
        private final String key;

        InvalidRule(String key, String message) {
            super(message);
            this.key = key;
        }

        /** The config key at fault ({@code threshold}, {@code recover_below}...), or null for the rule's name. */
        public String key() {
            return key;
        }
    }

    private static InvalidRule invalid(String key, String message) {
        return new InvalidRule(key, message);
    }

    /** A high-traffic rule, as the original's {@code [Alerts] NAME = THRESHOLD, SECONDS}. */
    public AlertRule(String name, double threshold, int windowSeconds) {
        this(name, Kind.HIGH_TRAFFIC, threshold, windowSeconds, null, null, DEFAULT_MIN_HITS, 0, null, null, null);
    }

    /** The same rule under another name. */
    public AlertRule withName(String newName) {
        return new AlertRule(
                newName,
                kind,
                threshold,
                windowSeconds,
                section,
                statuses,
                minHits,
                forSeconds,
                recover,
                labels,
                summary,
                quantile,
                maxAlerts);
    }

    /** Whether {@code value} is past the threshold (the condition that, held for {@code for}, fires it). */
    public boolean breached(double value) {
        return kind == Kind.LOW_TRAFFIC ? value < threshold : value >= threshold;
    }

    /** Whether {@code value}, while firing, recovers it: past the recovery level the other way. */
    public boolean recovered(double value) {
        double level = recover != null ? recover : threshold;
        return kind == Kind.LOW_TRAFFIC ? value >= level : value < level;
    }

    /**
     * Whether {@code other} measures the same thing (kind, window, section, statuses, quantile): its counts so far stay
     * valid for it. The levels, {@code for}, labels and summary may differ.
     */
    public boolean measuresAs(AlertRule other) {
        return kind == other.kind
                && windowSeconds == other.windowSeconds
                && java.util.Objects.equals(section, other.section)
                && statuses.equals(other.statuses)
                && java.util.Objects.equals(quantile, other.quantile);
    }

    /** Its labels with {@code alertname}, sorted by name, as Alertmanager receives them. */
    @JsonIgnore
    public Map<String, String> allLabels() {
        Map<String, String> all = new TreeMap<>(labels);
        all.put("alertname", name);
        return java.util.Collections.unmodifiableMap(all);
    }

    /**
     * Parses the original config's form, {@code THRESHOLD, WINDOW_SECONDS}, e.g. {@code 30, 120}.
     *
     * @throws UsageException saying what is accepted
     */
    public static AlertRule parse(String name, String value) {
        String[] parts = value.split(",");
        if (parts.length != 2) {
            throw new UsageException(
                    "alert " + name + " = " + value + ": expected 'THRESHOLD, WINDOW_SECONDS', e.g. '10, 120'");
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

    /** The kind named {@code s} ({@code high_traffic}, ...). */
    public static Kind kind(String s) {
        return Kind.of(s);
    }
}
