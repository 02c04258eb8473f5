package io.httpmon.common;

import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.config.Precedence;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** The Kafka options every service takes: where the cluster is, how to talk to it, how topics are named. */
public final class KafkaOptions {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final int DEFAULT_PARTITIONS = IntSettings.DEFAULT_PARTITIONS;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka bootstrap servers (env HTTPMON_BOOTSTRAP_SERVERS). Default: " + DEFAULT_BOOTSTRAP + ".")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...), "
                    + "as the Kafka tools' --command-config.")
    Path kafkaConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            description =
                    "Prefix of every topic name (env HTTPMON_TOPIC_PREFIX). Default: " + Topics.DEFAULT_PREFIX + ".")
    String topicPrefix;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of topics created at start. Default: " + DEFAULT_PARTITIONS + ".")
    Integer partitions;

    @Option(
            names = "--replication-factor",
            paramLabel = "N",
            defaultValue = "1",
            description = "Replication factor of topics created at start (Kafka Streams' internal topics too); from "
                    + "3 on, writes need a majority of the replicas in sync (min.insync.replicas). "
                    + "Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    /** The client properties, read once from {@code --kafka-config} and the bootstrap servers. */
    private Properties clientProperties;

    public KafkaOptions() {}

    /**
     * Resolves every setting by {@link Precedence}: what the command line gave, else the environment, else the
     * config file's [Kafka] section, else the default (a service's {@code -c CONFIG}).
     */
    public void apply(FileConfig file) {
        apply(System.getenv(), file);
    }

    void apply(Map<String, String> env, FileConfig file) {
        bootstrapServers = Precedence.first(
                bootstrapServers,
                Precedence.env(env, "HTTPMON_BOOTSTRAP_SERVERS"),
                file.bootstrapServers(),
                DEFAULT_BOOTSTRAP);
        topicPrefix = Precedence.first(
                topicPrefix, Precedence.env(env, "HTTPMON_TOPIC_PREFIX"), file.topicPrefix(), Topics.DEFAULT_PREFIX);
        partitions = IntSettings.PARTITIONS.resolve(partitions, env, file.partitions());
        kafkaConfig = Precedence.first(kafkaConfig, file.clientConfig());
        clientProperties = null;
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
        return bootstrapServers != null ? bootstrapServers : DEFAULT_BOOTSTRAP;
    }

    public String topicPrefix() {
        return topicPrefix != null ? topicPrefix : Topics.DEFAULT_PREFIX;
    }

    public int partitions() {
        return partitions == null ? DEFAULT_PARTITIONS : partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** The {@code min.insync.replicas} of the topics httpmon creates: {@link #minInSyncReplicas(int)} of theirs. */
    public int minInSyncReplicas() {
        return minInSyncReplicas(replicationFactor);
    }

    /**
     * The in-sync replicas a write needs for {@code replicas} copies: a majority from 3 on (3 -> 2, 5 -> 3), so one
     * broker can be lost without losing an acknowledged write or stopping writes; 1 below 3 (two copies that both
     * had to be in sync would stop every write while one broker is down).
     */
    public static int minInSyncReplicas(int replicas) {
        return replicas >= 3 ? replicas / 2 + 1 : 1;
    }

    /**
     * The client properties shared by every client: the {@code --kafka-config} file, then the bootstrap servers.
     * The file is read once; each call returns a copy to add to.
     *
     * @throws UsageException when the file is missing or unreadable, or an option is out of range
     */
    public Properties clientProperties() {
        if (clientProperties == null) {
            clientProperties = readClientProperties();
        }
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    private Properties readClientProperties() {
        if (partitions() < 1) {
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
        props.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers != null ? bootstrapServers : DEFAULT_BOOTSTRAP);
        return props;
    }
}
