package io.httpmon.alert;

import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.RuleDefinition;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The rules topic of a test's topology: what alert-service seeds and {@code httpmon rules} changes. */
final class Rules {

    private final TestInputTopic<String, RuleDefinition> topic;

    Rules(TopologyTestDriver driver, String prefix) {
        topic = driver.createInputTopic(
                Topics.ALERT_RULES.name(prefix),
                Serdes.String().serializer(),
                Topics.ALERT_RULES.valueSerde().serializer());
    }

    void apply(List<AlertRule> rules) {
        rules.forEach(r -> topic.pipeInput(r.name(), new RuleDefinition(r, RuleDefinition.CLI), Instant.EPOCH));
    }

    void delete(String name) {
        topic.pipeInput(name, null, Instant.EPOCH);
    }
}
