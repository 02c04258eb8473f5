package io.httpmon.stats;

import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.streams.StreamsRunner;
import java.nio.file.Path;
import java.util.List;

/** stats-service: creates its topics, then runs {@link StatsTopology} in Kafka Streams until stopped. */
public final class StatsService {

    private final KafkaOptions kafka;
    private final StatsSettings settings;
    private final Path stateDir;

    /** @param stateDir where Kafka Streams keeps local state */
    public StatsService(KafkaOptions kafka, StatsSettings settings, Path stateDir) {
        this.kafka = kafka;
        this.settings = settings;
        this.stateDir = stateDir;
    }

    public void run(StopSignal stop) {
        ServiceMetrics.export("stats");
        StreamsRunner.runService(
                "stats",
                kafka,
                List.of(Topics.REQUESTS, Topics.STATS),
                StatsTopology.build(kafka.topicPrefix(), settings),
                stateDir,
                stop);
    }
}
