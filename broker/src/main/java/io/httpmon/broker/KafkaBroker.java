package io.httpmon.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka node (combined broker and KRaft controller) running in this JVM, from Apache Kafka's own server classes:
 * a single-node cluster by default, or one node of a cluster ({@link ClusterNode}). Its storage is formatted on first
 * start and reused after, so data survives a restart with the same directory. Listens on loopback only unless told
 * otherwise.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final String host;
    private final int port;
    private final KafkaRaftServer server;

    private KafkaBroker(Path dataDir, String host, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.server = server;
    }

    /**
     * Formats {@code dataDir} if it is new, starts the broker, and returns once it accepts connections.
     *
     * @param port the client port; 0 picks a free one
     */
    public static KafkaBroker start(Path dataDir, String host, int port, Duration timeout) {
        return start(dataDir, host, port, timeout, null);
    }

    /**
     * A broker whose client listener requires SASL/PLAIN with the given users (name to password); the broker
     * talks to itself on a second, plain listener. For testing secured clients.
     */
    public static KafkaBroker startWithSaslPlain(
            Path dataDir, String host, Duration timeout, Map<String, String> users) {
        return start(dataDir, host, 0, timeout, users);
    }

    /**
     * One node of a cluster of combined broker-controllers: {@code node.voters()} lists every node's controller
     * address, and every node is formatted with the same cluster id. Internal topics get as many replicas as there
     * are nodes (up to 3), and need a majority of them in sync.
     */
    public static KafkaBroker startNode(Path dataDir, String host, int port, ClusterNode node, Duration timeout) {
        try {
            Files.createDirectories(dataDir);
            Properties props = serverProperties(dataDir, host, port, node.controllerPort());
            node.applyTo(props);
            return launch(dataDir, host, port, props, node.clusterId(), host + ":" + port, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start Kafka node " + node.nodeId() + " in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a node sits in its cluster: its id, its controller port, every voter ({@code id@host:port,...}) and the
     * cluster id all nodes are formatted with.
     */
    public record ClusterNode(int nodeId, int controllerPort, String voters, String clusterId) {

        public ClusterNode {
            if (voters == null || voters.isBlank() || !voters.contains(nodeId + "@")) {
                throw new IllegalArgumentException("the controller quorum " + voters + " does not list node " + nodeId);
            }
        }

        /** Nodes in the quorum. */
        public int size() {
            return voters.split(",").length;
        }

        void applyTo(Properties p) {
            int replicas = Math.min(3, size());
            String replicasText = Integer.toString(replicas);
            String minIsr = Integer.toString(io.httpmon.common.KafkaOptions.minInSyncReplicas(replicas));
            p.put("node.id", Integer.toString(nodeId));
            p.put("controller.quorum.voters", voters);
            p.put("offsets.topic.replication.factor", replicasText);
            p.put("transaction.state.log.replication.factor", replicasText);
            p.put("transaction.state.log.min.isr", minIsr);
            p.put("share.coordinator.state.topic.replication.factor", replicasText);
            p.put("share.coordinator.state.topic.min.isr", minIsr);
            p.put("default.replication.factor", replicasText);
            p.put("min.insync.replicas", minIsr);
        }
    }

    private static KafkaBroker start(
            Path dataDir, String host, int port, Duration timeout, Map<String, String> saslUsers) {
        try {
            Files.createDirectories(dataDir);
            int clientPort = port == 0 ? freePort(host) : port;
            int controllerPort = freePort(host);
            Properties props = serverProperties(dataDir, host, clientPort, controllerPort);
            int internalPort = clientPort;
            if (saslUsers != null) {
                internalPort = freePort(host);
                props.put(
                        "listeners",
                        "SASL_PLAINTEXT://" + host + ":" + clientPort + ",INTERNAL://" + host + ":" + internalPort
                                + ",CONTROLLER://" + host + ":" + controllerPort);
                props.put(
                        "advertised.listeners",
                        "SASL_PLAINTEXT://" + host + ":" + clientPort + ",INTERNAL://" + host + ":" + internalPort);
                props.put(
                        "listener.security.protocol.map",
                        "SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "INTERNAL");
                props.put("sasl.enabled.mechanisms", "PLAIN");
                StringBuilder jaas =
                        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                saslUsers.forEach((user, password) -> jaas.append(" user_")
                        .append(user)
                        .append("=\"")
                        .append(password)
                        .append('"'));
                props.put(
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        jaas.append(';').toString());
            }
            return launch(
                    dataDir, host, clientPort, props, Uuid.randomUuid().toString(), host + ":" + internalPort, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Formats the storage if new, starts the server, and returns once it answers on {@code plainAddress}. */
    private static KafkaBroker launch(
            Path dataDir,
            String host,
            int clientPort,
            Properties props,
            String clusterId,
            String plainAddress,
            Duration timeout)
            throws IOException {
        format(dataDir, props, clusterId);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(dataDir, host, clientPort, server);
        broker.awaitListening(plainAddress, timeout);
        return broker;
    }

    static Properties serverProperties(Path dataDir, String host, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("kraft-logs").toAbsolutePath().toString());
        // One node: every internal topic has one replica, and fewer partitions make a cold start quick.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "6");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A crashed transactional producer's open transaction is aborted soon after it times out.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // Heap: the log cleaner's dedupe buffer is 128 MiB by default (on the heap, for 5M keys per pass); the
        // changelogs of one httpmon have a few thousand live keys. It is also CPU: the cleaner clears the whole
        // buffer before each log it cleans (with 16 MiB, 2% of the monitor's CPU samples on the bench replay,
        // bench/results/profile-20261206T121531Z). 4 MiB holds ~170,000 keys a pass; a log with more is cleaned in
        // several passes. And requests queued while the broker is busy are bounded in bytes, not only in number
        // (500 x up to 1 MiB by default).
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("socket.request.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("queued.max.request.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    private static void format(Path dataDir, Properties props, String clusterId) throws IOException {
        if (Files.exists(dataDir.resolve("kraft-logs").resolve("meta.properties"))) {
            return;
        }
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "Written by httpmon to format the storage; the broker is configured in code.");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(
                    new String[] {
                        "format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"
                    },
                    ps);
        }
        if (code != 0) {
            throw new IOException("formatting the storage failed: "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
        log.debug(
                "Formatted {}: {}",
                dataDir,
                output.toString(StandardCharsets.UTF_8).trim());
    }

    /** Returns once the broker answers a metadata request with itself in it: clients can use it then. */
    private void awaitListening(String plainAddress, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainAddress);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(1, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not serving yet
                }
                if (System.nanoTime() - deadline > 0) {
                    close();
                    throw new IOException("the broker did not serve on " + bootstrapServers() + " within " + timeout);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting the broker");
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Blocks until the broker has shut down (after {@link #close()} from another thread). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
