package io.httpmon.common.config;

import io.httpmon.common.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alert rules of a config file: the original's {@code [Alerts] NAME = THRESHOLD, SECONDS} (high traffic) and
 * {@code [Alert NAME]} sections with a key per setting. A mistake names the file, the line and the key.
 */
final class AlertRules {

    private static final String SECTION = "Alert ";

    private AlertRules() {}

    /** The file's rules in file order, or null when it has neither {@code [Alerts]} nor an {@code [Alert NAME]}. */
    static List<AlertRule> read(IniFile ini) {
        boolean any = ini.has("Alerts");
        Map<String, Integer> lines = new LinkedHashMap<>();
        List<AlertRule> rules = new ArrayList<>();
        for (IniFile.Entry entry : ini.entries("Alerts")) {
            try {
                rules.add(AlertRule.parse(entry.key(), entry.value()));
            } catch (UsageException e) {
                throw new UsageException(ini.where(entry) + ": " + reason(e.getMessage())
                        + " (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)");
            }
            lines.put(entry.key(), entry.line());
        }
        for (String section : ini.sections()) {
            if (!section.startsWith(SECTION)) {
                continue;
            }
            any = true;
            String name = section.substring(SECTION.length()).strip();
            AlertRule rule = rule(ini, section, name);
            Integer first = lines.putIfAbsent(name, ini.line(section));
            if (first != null) {
                throw new UsageException(ini.path() + ":" + ini.line(section) + ": [" + section + "]: a rule named "
                        + name + " is already defined on line " + first);
            }
            rules.add(rule);
        }
        return any ? rules : null;
    }

    private static AlertRule rule(IniFile ini, String section, String name) {
        Map<String, IniFile.Entry> entries = new LinkedHashMap<>();
        ini.entries(section).forEach(e -> entries.put(e.key(), e));
        AlertRule.Kind kind = value(
                ini,
                entries.get("kind"),
                AlertRule::kind,
                "high_traffic, low_traffic, error_ratio, status_rate, client_rate or latency");
        if (kind == null) {
            kind = AlertRule.Kind.HIGH_TRAFFIC;
        }
        Double threshold = value(
                ini,
                entries.get("threshold"),
                Double::parseDouble,
                switch (kind) {
                    case ERROR_RATIO -> "a share from 0 to 1, e.g. 0.05";
                    case LATENCY -> "milliseconds, e.g. 500";
                    case CLIENT_RATE -> "requests per second of one client, e.g. 20";
                    default -> "hits per second, e.g. 10";
                });
        Integer window = value(
                ini,
                entries.get("window"),
                s -> FileConfig.integer(s, 1, 86_400),
                "a whole number of seconds, 1 to 86400");
        String sectionFilter = value(ini, entries.get("section"), s -> s, "a path's first segment, e.g. /api");
        List<String> statuses =
                value(ini, entries.get("status"), AlertRules::list, "status classes, e.g. 5xx or " + "4xx, 5xx");
        Integer minHits = value(
                ini,
                entries.get("min_hits"),
                s -> FileConfig.integer(s, 0, Integer.MAX_VALUE),
                "a whole number of requests");
        Integer forSeconds = value(
                ini,
                entries.get("for"),
                s -> FileConfig.integer(s, 0, 86_400),
                "a whole number of seconds, 0 to 86400");
        IniFile.Entry below = entries.get("recover_below");
        IniFile.Entry above = entries.get("recover_above");
        IniFile.Entry recoverEntry = kind == AlertRule.Kind.LOW_TRAFFIC ? above : below;
        IniFile.Entry wrong = kind == AlertRule.Kind.LOW_TRAFFIC ? below : above;
        if (wrong != null) {
            throw new UsageException(ini.where(wrong) + ": a " + kind.key() + " rule recovers "
                    + (kind == AlertRule.Kind.LOW_TRAFFIC
                            ? "above a level: use recover_above"
                            : "below a level: use recover_below"));
        }
        Double recover = value(ini, recoverEntry, Double::parseDouble, "a number");
        Map<String, String> labels = value(
                ini, entries.get("labels"), AlertRules::labels, "key=value, key=value (e.g. severity=page, team=web)");
        String summary = value(ini, entries.get("summary"), s -> s, "one line of text");
        Double quantile =
                value(ini, entries.get("quantile"), Double::parseDouble, "a share above 0, at most 1, e.g. 0.99");
        Integer maxAlerts = value(
                ini,
                entries.get("max_alerts"),
                s -> FileConfig.integer(s, 1, AlertRule.MAX_MAX_ALERTS),
                "a whole number of clients, 1 to " + AlertRule.MAX_MAX_ALERTS);
        if (threshold == null || window == null) {
            throw new UsageException(ini.path() + ":" + ini.line(section) + ": [" + section + "] needs "
                    + (threshold == null ? "threshold" : "window") + " = ...");
        }
        try {
            return new AlertRule(
                    name,
                    kind,
                    threshold,
                    window,
                    sectionFilter,
                    statuses,
                    minHits != null ? minHits : AlertRule.DEFAULT_MIN_HITS,
                    forSeconds != null ? forSeconds : 0,
                    recover,
                    labels,
                    summary,
                    quantile,
                    maxAlerts);
        } catch (AlertRule.InvalidRule e) {
            IniFile.Entry at = e.key() == null ? null : entries.get(e.key());
            String where = at != null ? ini.where(at) : ini.path() + ":" + ini.line(section) + ": [" + section + "]";
            throw new UsageException(where + ": " + reason(e.getMessage()));
        }
    }

    private static <T> T value(IniFile ini, IniFile.Entry entry, Function<String, T> parse, String accepted) {
        return FileConfig.value(ini, entry, parse, accepted);
    }

    private static List<String> list(String s) {
        List<String> items = Arrays.stream(s.split(",")).map(String::strip).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException();
        }
        return items;
    }

    /** {@code key=value, key=value}. */
    static Map<String, String> labels(String s) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (s.isBlank()) {
            return labels;
        }
        for (String pair : s.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException();
            }
            String key = pair.substring(0, eq).strip();
            if (labels.put(key, pair.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException();
            }
        }
        return labels;
    }

    /** A rule's message without its own "alert NAME...: " prefix, which the file position replaces. */
    private static String reason(String message) {
        int colon = message.indexOf(": ");
        return message.startsWith("alert ") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
