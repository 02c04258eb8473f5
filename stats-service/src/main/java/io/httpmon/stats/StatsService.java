package io.httpmon.stats;

import io.httpmon.common.DefinitionTopic;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.MonitorTopic;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.model.MonitorDefinition;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.streams.StreamsRunner;
import io.httpmon.windowing.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stats-service: creates its topics, seeds the {@code monitors} topic with the config's {@code [Stats NAME]}
 * sections, then runs {@link StatsTopology} with the monitors in force in Kafka Streams until stopped. When the
 * monitors change on their topic ({@code httpmon monitors}, the dashboard), it closes Streams (committing: nothing is
 * lost or counted twice) and starts it again with the new set: a monitor kept goes on from its stores, a new one
 * counts the requests from then on (from the next window on), a deleted one stops.
 */
public final class StatsService {

    private static final Logger log = LoggerFactory.getLogger(StatsService.class);

    private final KafkaOptions kafka;
    private final StatsSettings settings;
    private final Path stateDir;
    private final boolean followMonitors;
    private final Durability durability;
    private final AtomicInteger restarts = new AtomicInteger();

    /** @param stateDir where Kafka Streams keeps local state */
    public StatsService(KafkaOptions kafka, StatsSettings settings, Path stateDir) {
        this(kafka, settings, stateDir, true);
    }

    /**
     * @param followMonitors count the monitors of the {@code monitors} topic, and follow its changes; false: the
     *     settings' monitors only (a replay, {@code --once}, is a function of its file and config)
     */
    public StatsService(KafkaOptions kafka, StatsSettings settings, Path stateDir, boolean followMonitors) {
        this(kafka, settings, stateDir, followMonitors, Durability.RESTARTABLE);
    }

    /** @param durability whether its state outlives its tasks (a replay's is thrown away) */
    public StatsService(
            KafkaOptions kafka, StatsSettings settings, Path stateDir, boolean followMonitors, Durability durability) {
        this.kafka = kafka;
        this.settings = settings;
        this.stateDir = stateDir;
        this.followMonitors = followMonitors;
        this.durability = durability;
    }

    /** How many times the monitors changed and Streams started again with them. */
    public int restarts() {
        return restarts.get();
    }

    public void run(StopSignal stop) {
        ServiceMetrics.export("stats");
        String service = "stats";
        if (!followMonitors) {
            StreamsRunner.runService(
                    service,
                    kafka,
                    List.of(Topics.REQUESTS, Topics.STATS),
                    StatsTopology.build(kafka.topicPrefix(), settings, durability),
                    stateDir,
                    stop);
            return;
        }
        if (!TopicAdmin.ensureTopics(kafka, List.of(Topics.REQUESTS, Topics.STATS, Topics.MONITORS), stop)) {
            return;
        }
        MonitorTopic topic = new MonitorTopic(kafka);
        if (retrying(stop, "seed the monitors", () -> {
                    topic.seed(settings.monitors());
                    return true;
                })
                == null) {
            return;
        }
        while (!stop.isStopped()) {
            DefinitionTopic.Watch watch = topic.watch();
            Map<String, MonitorDefinition> inForce = retrying(stop, "read the monitors", topic::read);
            if (inForce == null) {
                watch.close();
                return;
            }
            List<MonitorSettings> monitors = new ArrayList<>();
            inForce.values().forEach(d -> monitors.add(MonitorSettings.parse(d.definition(), "monitors")));
            log.info(
                    "Counting the default statistics{}",
                    monitors.isEmpty()
                            ? ""
                            : " and the monitors "
                                    + String.join(
                                            ", ",
                                            monitors.stream()
                                                    .map(MonitorSettings::name)
                                                    .toList()));
            StopSignal run = new StopSignal();
            StopSignal.Registration relay = stop.onStop(run::stop); // dropped when this run ends
            try (relay;
                    watch) {
                watch.onChange(inForce, run::stop);
                StreamsRunner.run(
                        service,
                        kafka,
                        StatsTopology.build(kafka.topicPrefix(), settings.withMonitors(monitors), durability),
                        StreamsRunner.config(kafka, kafka.topicPrefix() + service, stateDir),
                        run);
            }
            if (!stop.isStopped()) {
                restarts.incrementAndGet();
                log.info("The monitors changed: counting them from here on");
            }
        }
    }

    /** {@code action}'s result, retried while Kafka does not answer (said once); null when stopped meanwhile. */
    private <T> T retrying(StopSignal stop, String what, java.util.function.Supplier<T> action) {
        boolean said = false;
        while (!stop.isStopped()) {
            try {
                return action.get();
            } catch (TimeoutException e) {
                if (!said) {
                    log.warn(
                            "Waiting for Kafka at {} to {} (retrying): {}",
                            kafka.bootstrapServers(),
                            what,
                            e.getMessage());
                    said = true;
                }
                stop.sleep(Duration.ofSeconds(1));
            }
        }
        return null;
    }
}
