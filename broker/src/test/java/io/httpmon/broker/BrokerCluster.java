package io.httpmon.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster for a test: {@code size} KRaft nodes (each a broker and a controller), each its own JVM from
 * {@code httpmon-broker.jar}, as an operator would run them, so a test can SIGKILL one and start it again on its
 * data.
 */
public final class BrokerCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] clientPorts;
    private final int[] controllerPorts;
    private final ServiceProcess[] nodes;
    private final List<ServiceProcess> all = new ArrayList<>();

    private BrokerCluster(Path dir, int size) throws IOException {
        this.dir = dir;
        this.clientPorts = new int[size];
        this.controllerPorts = new int[size];
        this.nodes = new ServiceProcess[size];
        for (int i = 0; i < size; i++) {
            clientPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
    }

    /** Starts every node and returns once the cluster has all of them as brokers. */
    public static BrokerCluster start(Path dir, int size, Duration timeout) throws Exception {
        BrokerCluster cluster = new BrokerCluster(dir, size);
        try {
            for (int id = 1; id <= size; id++) {
                cluster.startNode(id);
            }
            cluster.awaitBrokers(size, timeout);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private static final Path JAR = Path.of("..", "broker", "target", "httpmon-broker.jar");

    /** Starts node {@code id} (1-based) on its data directory: formatted at its first start, reused after. */
    public void startNode(int id) throws IOException {
        String voters = java.util.stream.IntStream.range(0, nodes.length)
                .mapToObj(i -> (i + 1) + "@" + HOST + ":" + controllerPorts[i])
                .collect(Collectors.joining(","));
        ServiceProcess node = ServiceProcess.start(
                JAR,
                "kafka-node-" + id,
                "-Xmx512m",
                List.of(
                        "--listen-address",
                        HOST,
                        "--port",
                        Integer.toString(clientPorts[id - 1]),
                        "--data-dir",
                        dir.resolve("node-" + id).toString(),
                        "--node-id",
                        Integer.toString(id),
                        "--controller-port",
                        Integer.toString(controllerPorts[id - 1]),
                        "--controller-quorum",
                        voters,
                        "--cluster-id",
                        clusterId));
        nodes[id - 1] = node;
        all.add(node);
    }

    /** SIGKILL of node {@code id}: no controlled shutdown, its leaderships move only when the controller notices. */
    public void kill(int id) throws InterruptedException {
        nodes[id - 1].kill();
    }

    /** Waits until the cluster lists {@code count} brokers. */
    public void awaitBrokers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() >= count) {
                        return;
                    }
                } catch (Exception e) {
                    // not formed yet
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "the cluster did not have " + count + " brokers within " + timeout + ":\n" + outputs());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every node's address: a client reaches the cluster through any that is up. */
    public String bootstrapServers() {
        return java.util.Arrays.stream(clientPorts)
                .mapToObj(p -> HOST + ":" + p)
                .collect(Collectors.joining(","));
    }

    /** The node id whose client port is {@code port}. */
    public int nodeOfPort(int port) {
        for (int i = 0; i < clientPorts.length; i++) {
            if (clientPorts[i] == port) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no node listens on " + port);
    }

    /** The first lines each node printed, for a failure's message. */
    public String outputs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (ServiceProcess p : all) {
            b.append("\n--- node: ").append(p.output().lines().limit(40).collect(Collectors.joining("\n")));
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : all) {
            if (p.isAlive()) {
                p.stop();
            }
        }
    }
}
