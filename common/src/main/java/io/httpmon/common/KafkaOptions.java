package io.httpmon.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The Kafka options every service takes: where the cluster is, how to talk to it, how topics are named. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:HTTPMON_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env HTTPMON_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...), "
                    + "as the Kafka tools' --command-config.")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            defaultValue = "${env:HTTPMON_TOPIC_PREFIX:-" + Topics.DEFAULT_PREFIX + "}",
            description = "Prefix of every topic name (env HTTPMON_TOPIC_PREFIX). Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of topics created at start. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1",
            description = "Replication factor of topics created at start. Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    public KafkaOptions() {
    }

    /**
     * Takes the config file's [Kafka] settings for what neither the command line nor the environment sets (a
     * service's {@code -c CONFIG}).
     */
    public void apply(FileConfig file) {
        if (file.bootstrapServers() != null && !given("--bootstrap-servers", "HTTPMON_BOOTSTRAP_SERVERS")) {
            bootstrapServers = file.bootstrapServers();
        }
        if (file.topicPrefix() != null && !given("--topic-prefix", "HTTPMON_TOPIC_PREFIX")) {
            topicPrefix = file.topicPrefix();
        }
        if (file.partitions() != null && !given("--partitions", null)) {
            partitions = file.partitions();
        }
        if (file.clientConfig() != null && !given("--kafka-config", null)) {
            kafkaConfig = file.clientConfig();
        }
    }

    private boolean given(String option, String env) {
        return ConfigFileOption.given(mixee, option) || (env != null && System.getenv(env) != null
                && !System.getenv(env).isBlank());
    }

    /** Options for code that is not driven by a command line (tests, the all-in-one launcher). */
    public static KafkaOptions of(String bootstrapServers, String topicPrefix, int partitions) {
        return of(bootstrapServers, topicPrefix, partitions, null);
    }

    /** As {@link #of(String, String, int)}, with a properties file of extra client settings (or null). */
    public static KafkaOptions of(String bootstrapServers, String topicPrefix, int partitions, Path kafkaConfig) {
        KafkaOptions options = new KafkaOptions();
        options.kafkaConfig = kafkaConfig;
        options.bootstrapServers = bootstrapServers;
        options.topicPrefix = topicPrefix;
        options.partitions = partitions;
        options.replicationFactor = 1;
        return options;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public int partitions() {
        return partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /**
     * The client properties shared by every client: the {@code --kafka-config} file, then the bootstrap servers.
     *
     * @throws UsageException when the file is missing or unreadable, or an option is out of range
     */
    public Properties clientProperties() {
        if (partitions < 1) {
            throw new UsageException("--partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new UsageException("--replication-factor must be at least 1, got " + replicationFactor);
        }
        Properties props = new Properties();
        if (kafkaConfig != null) {
            try (Reader in = Files.newBufferedReader(kafkaConfig)) {
                props.load(in);
            } catch (NoSuchFileException e) {
                throw new UsageException("--kafka-config " + kafkaConfig + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("--kafka-config " + kafkaConfig + ": cannot read it: " + e.getMessage());
            }
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}
