package io.httpmon.common.model;

import io.httpmon.common.config.AlertRule;

/**
 * A record of the {@code alert-rules} topic (key: the rule's name; a tombstone deletes the rule).
 *
 * @param rule the rule
 * @param source who put it there: {@link #CONFIG} (alert-service seeding its config file's rules: the file stays in
 *     charge of them) or {@link #CLI} ({@code httpmon rules apply}: kept until changed or deleted the same way)
 */
public record RuleDefinition(AlertRule rule, String source) {

    public static final String CONFIG = "config";
    public static final String CLI = "cli";
}
