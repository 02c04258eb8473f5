package io.httpmon.common;

import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.RuleDefinition;

/**
 * The {@code alert-rules} topic: for alert-service seeding it from its config file, and for {@code httpmon rules}
 * and the dashboard.
 */
public final class RuleTopic extends DefinitionTopic<AlertRule, RuleDefinition> {

    public RuleTopic(KafkaOptions kafka) {
        super(kafka, Topics.ALERT_RULES);
    }

    @Override
    protected String what() {
        return "alert rule";
    }

    @Override
    protected String applyCommand() {
        return "httpmon rules apply -c FILE";
    }

    @Override
    protected String name(AlertRule rule) {
        return rule.name();
    }

    @Override
    protected RuleDefinition definition(AlertRule rule, String source) {
        return new RuleDefinition(rule, source);
    }

    @Override
    protected AlertRule item(RuleDefinition definition) {
        return definition.rule();
    }

    @Override
    protected String source(RuleDefinition definition) {
        return definition.source();
    }
}
