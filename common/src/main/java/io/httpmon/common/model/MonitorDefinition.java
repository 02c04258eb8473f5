package io.httpmon.common.model;

/**
 * A record of the {@code monitors} topic (key: the monitor's name; a tombstone deletes the monitor).
 *
 * @param name the monitor's name
 * @param definition its {@code [Stats NAME]} section, one {@code key = value} line per key (checked as a config
 *     file's when read)
 * @param source who put it there: {@code config} (stats-service seeding its config file's monitors: the file stays in
 *     charge of them) or {@code cli} ({@code httpmon monitors apply}, the dashboard)
 */
public record MonitorDefinition(String name, String definition, String source) {}
