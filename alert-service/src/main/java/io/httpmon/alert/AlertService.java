package io.httpmon.alert;

import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.streams.StreamsRunner;
import java.nio.file.Path;
import java.util.List;

/** alert-service: creates its topics, then runs {@link AlertTopology} in Kafka Streams until stopped. */
public final class AlertService {

    private final KafkaOptions kafka;
    private final AlertSettings settings;
    private final Path stateDir;

    /** @param stateDir where Kafka Streams keeps local state */
    public AlertService(KafkaOptions kafka, AlertSettings settings, Path stateDir) {
        this.kafka = kafka;
        this.settings = settings;
        this.stateDir = stateDir;
    }

    public void run(StopSignal stop) {
        StreamsRunner.runService("alert", kafka, List.of(Topics.REQUESTS, Topics.ALERTS),
                AlertTopology.build(kafka.topicPrefix(), settings), stateDir, stop);
    }
}
