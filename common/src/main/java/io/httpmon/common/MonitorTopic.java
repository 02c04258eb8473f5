package io.httpmon.common;

import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.model.MonitorDefinition;

/**
 * The {@code monitors} topic: for stats-service seeding it from its config file's {@code [Stats NAME]} sections, and
 * for {@code httpmon monitors} and the dashboard.
 */
public final class MonitorTopic extends DefinitionTopic<MonitorSettings, MonitorDefinition> {

    public MonitorTopic(KafkaOptions kafka) {
        super(kafka, Topics.MONITORS);
    }

    @Override
    protected String what() {
        return "monitor";
    }

    @Override
    protected String applyCommand() {
        return "httpmon monitors apply -c FILE";
    }

    @Override
    protected String name(MonitorSettings monitor) {
        return monitor.name();
    }

    @Override
    protected MonitorDefinition definition(MonitorSettings monitor, String source) {
        return new MonitorDefinition(monitor.name(), monitor.definition(), source);
    }

    @Override
    protected MonitorSettings item(MonitorDefinition definition) {
        return definition.definition() == null ? null : MonitorSettings.parse(definition.definition(), "monitors");
    }

    @Override
    protected String source(MonitorDefinition definition) {
        return definition.source();
    }
}
