package io.httpmon.alert;

import io.httpmon.common.KafkaOptions;
import io.httpmon.common.RuleTopic;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.streams.StreamsRunner;
import io.httpmon.windowing.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * alert-service: creates its topics, seeds the rules topic with the config's rules, then runs {@link AlertTopology}
 * in Kafka Streams until stopped.
 */
public final class AlertService {

    private static final Logger log = LoggerFactory.getLogger(AlertService.class);

    private final KafkaOptions kafka;
    private final AlertSettings settings;
    private final Path stateDir;

    private final Durability durability;

    /** @param stateDir where Kafka Streams keeps local state */
    public AlertService(KafkaOptions kafka, AlertSettings settings, Path stateDir) {
        this(kafka, settings, stateDir, Durability.RESTARTABLE);
    }

    /** @param durability whether its state outlives its tasks (a replay's is thrown away) */
    public AlertService(KafkaOptions kafka, AlertSettings settings, Path stateDir, Durability durability) {
        this.kafka = kafka;
        this.settings = settings;
        this.stateDir = stateDir;
        this.durability = durability;
    }

    public void run(StopSignal stop) {
        ServiceMetrics.export("alert");
        if (!TopicAdmin.ensureTopics(
                kafka, List.of(Topics.REQUESTS, Topics.ALERTS, Topics.ALERT_RULES, Topics.HITS_PER_SECOND), stop)) {
            return;
        }
        RuleTopic rules = new RuleTopic(kafka);
        boolean said = false;
        while (!stop.isStopped()) {
            try {
                rules.seed(settings.rules());
                break;
            } catch (TimeoutException e) {
                if (!said) {
                    log.warn(
                            "Waiting for Kafka at {} to read and seed the alert rules (retrying): {}",
                            kafka.bootstrapServers(),
                            e.getMessage());
                    said = true;
                }
                stop.sleep(Duration.ofSeconds(1));
            }
        }
        if (stop.isStopped()) {
            return;
        }
        String service = "alert";
        StreamsRunner.run(
                service,
                kafka,
                AlertTopology.build(kafka.topicPrefix(), settings, durability),
                StreamsRunner.config(kafka, kafka.topicPrefix() + service, stateDir),
                stop);
    }
}
