package io.httpmon.common.config;

import java.util.List;

/**
 * A statistics monitor of its own, {@code [Stats NAME]}: the statistics of the requests its filter lets through,
 * every {@code interval} seconds, optionally one record per group as well. Its records on {@code stats} carry
 * {@code "monitor": NAME}; the unnamed {@code [Stats]} is the default monitor (no such field).
 *
 * @param name letters, digits, '_' and '-'
 * @param interval its window length, seconds; null: {@code [Stats] interval}
 * @param top the length of its top lists and how many groups get a record; null: {@code [Stats] top}
 * @param filter the requests it counts
 * @param groupBy the field whose values each get a record per window (the top {@code top} ones, the rest summed as
 *     {@value #OTHER_GROUP}); null: none
 * @param definition its {@code [Stats NAME]} section as text, one {@code key = value} line per key, as the
 *     {@code monitors} topic holds it; null for a monitor not read from text
 */
public record MonitorSettings(
        String name, Integer interval, Integer top, RequestFilter filter, RequestField groupBy, String definition) {

    /** A monitor not read from a config (tests). */
    public MonitorSettings(String name, Integer interval, Integer top, RequestFilter filter, RequestField groupBy) {
        this(name, interval, top, filter, groupBy, null);
    }

    /**
     * The monitor {@code definition} defines (one {@code [Stats NAME]} section, as {@link #definition} holds it).
     *
     * @param where what to name as its file in a mistake ("monitors", "page")
     * @throws io.httpmon.common.UsageException naming the line and key of a mistake
     */
    public static MonitorSettings parse(String definition, String where) {
        List<MonitorSettings> monitors = Monitors.read(IniFile.parse(java.nio.file.Path.of(where), definition));
        if (monitors.size() != 1) {
            throw new io.httpmon.common.UsageException(
                    where + ": expected one [Stats NAME] section, got " + monitors.size());
        }
        return monitors.get(0);
    }

    /** The group the requests of the groups beyond the top ones are summed in. */
    public static final String OTHER_GROUP = "other";

    /** A monitor name: it names the monitor's state stores and internal topic, so only these characters. */
    public static final String NAME_PATTERN = "[A-Za-z0-9_-]{1,64}";

    public MonitorSettings {
        if (!name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("a monitor's name is letters, digits, '_' and '-' (at most 64)");
        }
    }

    /** Its interval, or {@code defaultInterval} when it has none of its own. */
    public int intervalOr(int defaultInterval) {
        return interval != null ? interval : defaultInterval;
    }

    /** Its top, or {@code defaultTop} when it has none of its own. */
    public int topOr(int defaultTop) {
        return top != null ? top : defaultTop;
    }
}
