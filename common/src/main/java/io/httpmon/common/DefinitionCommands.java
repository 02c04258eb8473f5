package io.httpmon.common;

import io.httpmon.common.config.FileConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code httpmon rules} and {@code httpmon monitors} share: where Kafka is, and their topic once it answers. */
public final class DefinitionCommands {

    private DefinitionCommands() {}

    /**
     * {@code make}'s topic on the cluster of the options, the config's {@code [Kafka]} section or the environment,
     * once the cluster answers and {@code topic} exists.
     */
    public static <T> T connect(
            KafkaOptions kafka, FileConfig file, Topic<?, ?> topic, Function<KafkaOptions, T> make) {
        kafka.apply(file);
        kafka.clientProperties();
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        if (!TopicAdmin.ensureTopics(kafka, List.of(topic), stop)) {
            throw new IllegalStateException("stopped while waiting for Kafka");
        }
        return make.apply(kafka);
    }

    /** Where Kafka is, for list and delete: the options, or a config file's {@code [Kafka]} section. */
    public static final class Where {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "CONFIG",
                description = "Config file whose [Kafka] section says where Kafka is.")
        Path config;

        @Mixin
        KafkaOptions kafka;

        /** {@code make}'s topic, once Kafka answers. */
        public <T> T connect(Topic<?, ?> topic, Function<KafkaOptions, T> make) {
            return DefinitionCommands.connect(
                    kafka, config == null ? FileConfig.NONE : FileConfig.read(config), topic, make);
        }
    }
}
