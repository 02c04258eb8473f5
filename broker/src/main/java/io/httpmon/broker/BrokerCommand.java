package io.httpmon.broker;

import io.httpmon.common.Cli;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code httpmon broker}: runs a KRaft broker (single-node, or one node of a cluster) until Ctrl-C or SIGTERM. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Runs an Apache Kafka broker (KRaft, no ZooKeeper) for httpmon on this machine: a single-node "
                    + "cluster, or with --controller-quorum one node of a cluster (each node a broker and a controller).",
            "A 3-node cluster on one machine (each in its own terminal, the same cluster id):",
            "  httpmon broker --port 9092 --data-dir n1 --node-id 1 --controller-port 9192 "
                    + "--controller-quorum 1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194 "
                    + "--cluster-id Mk3OEYBSD34fcwNTJENDM2",
            "  (and node 2 on 9093/9193, node 3 on 9094/9194)"
        })
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "${env:HTTPMON_BROKER_PORT:-9092}",
            description = "Client port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the broker keeps its data; reused after a "
                    + "restart. Default: $XDG_STATE_HOME/httpmon/broker (~/.local/state/httpmon/broker).")
    Path dataDir;

    @Option(
            names = "--listen-address",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (loopback only).")
    String listenAddress;

    @Option(
            names = "--node-id",
            paramLabel = "N",
            defaultValue = "1",
            description = "This node's id in the cluster (with --controller-quorum). Default: ${DEFAULT-VALUE}.")
    int nodeId;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            description = "This node's controller port, as the quorum lists it (with --controller-quorum).")
    Integer controllerPort;

    @Option(
            names = "--controller-quorum",
            paramLabel = "ID@HOST:PORT[,...]",
            description = "Every node's controller address: runs this broker as one node of that cluster. Its "
                    + "internal topics get up to 3 replicas and need a majority of them in sync.")
    String controllerQuorum;

    @Option(
            names = "--cluster-id",
            paramLabel = "ID",
            description = "The cluster id every node is formatted with (22 characters, base64 of 16 bytes; with "
                    + "--controller-quorum; e.g. from 'kafka-storage.sh random-uuid').")
    String clusterId;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new BrokerCommand(), args));
    }

    @Override
    public Integer call() {
        if (controllerQuorum == null && (controllerPort != null || clusterId != null)) {
            throw new UsageException(
                    "--controller-port and --cluster-id are for a cluster node: add --controller-quorum");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, got " + port);
        }
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (KafkaBroker broker = controllerQuorum == null
                ? KafkaBroker.start(dir, listenAddress, port, Duration.ofSeconds(60))
                : KafkaBroker.startNode(dir, listenAddress, port, clusterNode(), Duration.ofSeconds(120))) {
            spec.commandLine()
                    .getOut()
                    .printf("Kafka broker ready at %s (data in %s)%n", broker.bootstrapServers(), dir.toAbsolutePath());
            spec.commandLine().getOut().flush();
            while (!stop.sleep(Duration.ofDays(1))) {
                // run until stopped
            }
        }
        return Cli.EXIT_OK;
    }

    private KafkaBroker.ClusterNode clusterNode() {
        if (controllerPort == null || clusterId == null) {
            throw new UsageException("--controller-quorum needs --controller-port and --cluster-id as well");
        }
        if (port == 0) {
            throw new UsageException("a cluster node needs a fixed --port (the others and the clients find it there)");
        }
        try {
            org.apache.kafka.common.Uuid.fromString(clusterId);
            return new KafkaBroker.ClusterNode(nodeId, controllerPort, controllerQuorum, clusterId);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--controller-quorum/--cluster-id: " + e.getMessage());
        }
    }

    /** The user's state directory, as the XDG base-directory spec defines it. */
    public static Path defaultDataDir() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("httpmon").resolve("broker");
    }
}
