package io.httpmon.common.config;

import io.httpmon.common.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics monitors of a config file: its {@code [Stats NAME]} sections, in file order. A mistake names the
 * file, the line and the key.
 */
final class Monitors {

    static final String SECTION = "Stats ";

    private Monitors() {}

    static List<MonitorSettings> read(IniFile ini) {
        List<MonitorSettings> monitors = new ArrayList<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (String section : ini.sections()) {
            if (!section.startsWith(SECTION)) {
                continue;
            }
            String name = section.substring(SECTION.length()).strip();
            String at = ini.path() + ":" + ini.line(section) + ": [" + section + "]";
            if (!name.matches(MonitorSettings.NAME_PATTERN)) {
                throw new UsageException(at + ": a monitor's name is letters, digits, '_' and '-' (at most 64)");
            }
            Integer first = lines.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), ini.line(section));
            if (first != null) {
                throw new UsageException(at + ": a monitor named " + name + " is already defined on line " + first);
            }
            monitors.add(monitor(ini, section, name));
        }
        return monitors;
    }

    /** The keys a {@code [Stats NAME]} section accepts, for the message about one it does not. */
    static String accepted() {
        List<String> keys = new ArrayList<>(List.of("interval", "top", "group_by"));
        Arrays.stream(RequestField.values()).forEach(f -> keys.add(f.key()));
        return String.join(", ", keys);
    }

    private static MonitorSettings monitor(IniFile ini, String section, String name) {
        Integer interval = null;
        Integer top = null;
        RequestField groupBy = null;
        List<RequestFilter.Condition> conditions = new ArrayList<>();
        for (IniFile.Entry entry : ini.entries(section)) {
            switch (entry.key()) {
                case "interval" ->
                    interval = FileConfig.value(
                            ini, entry, s -> FileConfig.integer(s, 1, 86_400), "a whole number of seconds, 1 to 86400");
                case "top" ->
                    top = FileConfig.value(
                            ini, entry, s -> FileConfig.integer(s, 1, 1000), "a whole number, 1 to 1000");
                case "group_by" ->
                    groupBy = FileConfig.value(
                            ini,
                            entry,
                            s -> {
                                RequestField field = RequestField.byKey(s.strip());
                                if (field == null) {
                                    throw new IllegalArgumentException();
                                }
                                return field;
                            },
                            "one of "
                                    + String.join(
                                            ", ",
                                            Arrays.stream(RequestField.values())
                                                    .map(RequestField::key)
                                                    .toList()));
                default -> {
                    RequestField field = RequestField.byKey(entry.key());
                    if (field == null) {
                        throw new UsageException(ini.path() + ":" + entry.line() + ": [" + section + "] " + entry.key()
                                + ": unknown key; a [Stats NAME] monitor accepts " + accepted());
                    }
                    try {
                        conditions.add(RequestFilter.Condition.parse(field, entry.value()));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(
                                ini.where(entry) + ": " + e.getMessage() + " (accepted: " + hint(field) + ")");
                    }
                }
            }
        }
        StringBuilder definition = new StringBuilder("[Stats ").append(name).append("]\n");
        for (IniFile.Entry entry : ini.entries(section)) {
            definition.append(entry.key()).append(" = ").append(entry.value()).append('\n');
        }
        return new MonitorSettings(name, interval, top, new RequestFilter(conditions), groupBy, definition.toString());
    }

    private static String hint(RequestField field) {
        String list = switch (field) {
            case SECTION -> "sections, e.g. /api, /login";
            case STATUS -> "status classes or codes, e.g. 4xx, 5xx or 404";
            case METHOD -> "methods, e.g. POST, PUT";
            case VHOST -> "virtual hosts, e.g. shop.example.com";
            case CLIENT -> "addresses or blocks, e.g. 10.0.0.0/8, 192.0.2.7";
            case USER_AGENT -> "parts of the user agent, e.g. Googlebot";
            case PATH -> "path prefixes, e.g. /api/v2/";
        };
        return list + "; or ~REGEX; either after ! for the opposite";
    }
}
