package io.httpmon.common;

import io.httpmon.common.ops.Health;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once when a running service has lost every connection to Kafka, and once when it has them back. Kafka's
 * clients ride out a broker outage by themselves, retrying without end; their own warnings come by the hundred
 * (and are switched off), so without this an operator would see a service go silent and not know why.
 *
 * <p>Reads the clients' {@code connection-count} and {@code response-total} metrics once a second (from its own thread: a client's
 * {@code metrics()} is safe to call from any thread). Every service polls or heartbeats at least once a second
 * while it runs, so no connection at all for {@link #LOST_AFTER} means the broker is out of reach, not idle.
 */
public final class ConnectionWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);
    static final Duration LOST_AFTER = Duration.ofSeconds(3);
    /** Without any connection yet, how long before it is an outage rather than a start. */
    static final Duration STARTING_GRACE = Duration.ofSeconds(10);

    private final String service;
    private final String bootstrapServers;
    private final AtomicReference<Supplier<Map<MetricName, ? extends Metric>>> metrics = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;

    private volatile boolean everConnected;
    /** When the service started to connect (the watch's start): a start-up's silence counts from here. */
    private long startedAt = -1;

    private long zeroSince = -1;
    private volatile long lostSince = -1;
    /** After a loss, when connections were first seen again: back once they are still there at the next look. */
    private long backSince = -1;

    private volatile int outages;
    private double lastResponses = -1;
    private double lastConnections;
    private final LiveConnections live = new LiveConnections();
    private volatile Supplier<String> alsoReadyWhen = () -> null;
    private final Health.Handle health;
    private volatile Health.Handle exported;

    ConnectionWatch(String service, String bootstrapServers) {
        this.service = service;
        this.bootstrapServers = bootstrapServers;
        this.thread = new Thread(this::checkEverySecond, service + "-kafka-connection-watch");
        thread.setDaemon(true);
        this.health = Health.register(service, this::notReadyBecause);
    }

    /**
     * Why the service is not ready ({@code /health}), or null when it is: in contact with Kafka (a broker out of
     * reach for {@link #LOST_AFTER} is said here as in the log) and whatever {@link #readyWhen} adds.
     */
    String notReadyBecause() {
        if (!everConnected) {
            return "not connected to Kafka at " + bootstrapServers + " yet";
        }
        if (lostSince >= 0) {
            return "lost the connection to Kafka at " + bootstrapServers;
        }
        return alsoReadyWhen.get();
    }

    /** A further condition of readiness (Kafka Streams RUNNING): null when met, else why not. */
    public void readyWhen(Supplier<String> notReadyBecause) {
        alsoReadyWhen = notReadyBecause;
    }

    /** Starts watching; {@link #watch(Supplier)} says which clients. */
    public static ConnectionWatch start(String service, KafkaOptions kafka) {
        ConnectionWatch watch = new ConnectionWatch(service, kafka.bootstrapServers());
        watch.startedAt(System.currentTimeMillis());
        watch.thread.start();
        return watch;
    }

    /**
     * The service starts connecting at {@code nowMs}: before its clients exist (a Kafka Streams client takes
     * seconds to build on a busy host), so a broker gone meanwhile is not missed for want of a first look.
     */
    void startedAt(long nowMs) {
        startedAt = nowMs;
    }

    /** The metrics of the service's current clients (replaced when a service re-creates its clients). */
    public void watch(Supplier<Map<MetricName, ? extends Metric>> clientMetrics) {
        metrics.set(clientMetrics);
        exported = io.httpmon.common.ops.KafkaClientMetrics.INSTANCE.watch(service, clientMetrics); // for /metrics
    }

    private void checkEverySecond() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            Supplier<Map<MetricName, ? extends Metric>> current = metrics.get();
            if (current == null || closed) {
                continue;
            }
            try {
                Map<MetricName, ? extends Metric> now = current.get();
                double connections = live.read(now);
                double responses = sum(now, "response-total");
                log.debug("{}: {} connections to Kafka, {} responses", service, connections, responses);
                observe(connections, responses, System.currentTimeMillis());
            } catch (RuntimeException e) {
                log.debug("{}: cannot read the Kafka client metrics: {}", service, e.toString());
            }
        }
    }

    /**
     * The connections of the clients whose network layer was polled since the previous reading. A client that
     * nobody polls (a Kafka Streams restore consumer with nothing to restore; a stream thread's consumer while the
     * thread waits on something else) never notices that its connections were closed: counting them would take a
     * broker that is gone for one that is there.
     */
    static final class LiveConnections {
        private Map<String, Double> selects = new HashMap<>();

        double read(Map<MetricName, ? extends Metric> metrics) {
            Map<String, double[]> clients = new HashMap<>(); // client: {connections, select-total}
            for (var e : metrics.entrySet()) {
                MetricName metric = e.getKey();
                int index = metric.name().equals("connection-count")
                        ? 0
                        : metric.name().equals("select-total") ? 1 : -1;
                if (index >= 0 && e.getValue().metricValue() instanceof Number n) {
                    String client = metric.group() + "/" + metric.tags().getOrDefault("client-id", "");
                    clients.computeIfAbsent(client, c -> new double[2])[index] += n.doubleValue();
                }
            }
            double live = 0;
            Map<String, Double> next = new HashMap<>();
            for (var client : clients.entrySet()) {
                Double before = selects.get(client.getKey());
                if (before == null || client.getValue()[1] > before) {
                    live += client.getValue()[0];
                }
                next.put(client.getKey(), client.getValue()[1]);
            }
            selects = next;
            return live;
        }
    }

    /** The metric {@code name} summed over the clients in use. */
    static double sum(Map<MetricName, ? extends Metric> metrics, String name) {
        double sum = 0;
        for (var e : metrics.entrySet()) {
            if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }

    /**
     * One observation: how many connections the clients hold now and how many responses they have received in all.
     * The broker is in contact at a look when a response came since the last look, or when there were connections
     * at this look and the one before: a connection that is only being tried (a client reconnecting to a broker
     * that is down shows one now and then) is not contact, and an idle client's steady connection is. Logs a
     * transition at most once each way: lost after {@link #LOST_AFTER} without contact, back when there is contact
     * at two looks in a row.
     *
     * @return the line logged, or null
     */
    String observe(double connections, double responses, long nowMs) {
        boolean responded = lastResponses < 0 ? responses > 0 : responses > lastResponses;
        boolean contact = responded || (connections > 0 && lastConnections > 0);
        lastResponses = responses;
        lastConnections = connections;
        String said = null;
        if (contact) {
            if (lostSince >= 0 && backSince < 0) {
                backSince = nowMs; // a client re-created during an outage can show a connection for a moment
            } else if (lostSince >= 0) {
                said = service + ": connected to Kafka at " + bootstrapServers + " again after "
                        + (backSince - lostSince + 500) / 1000 + " s; carrying on where it stopped";
                lostSince = -1;
                backSince = -1;
            }
            everConnected = true;
            zeroSince = -1;
        } else {
            backSince = -1;
            if (zeroSince < 0) {
                zeroSince = !everConnected && startedAt >= 0 ? Math.min(startedAt, nowMs) : nowMs;
            }
            // Before the first contact the service is starting (TopicAdmin has just reached the broker, the clients
            // are connecting): only a longer silence is an outage, e.g. a broker gone during start-up.
            long after = everConnected ? LOST_AFTER.toMillis() : STARTING_GRACE.toMillis();
            if (lostSince < 0 && nowMs - zeroSince >= after) {
                lostSince = zeroSince;
                outages++;
                said = service + ": lost the connection to Kafka at " + bootstrapServers
                        + "; waiting for it (retrying; nothing is lost)";
            }
        }
        if (said != null) {
            log.warn("{}", said);
        }
        return said;
    }

    /** How many times the connection was lost so far (each said once). */
    public int outages() {
        return outages;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        health.close();
        Health.Handle metricsHandle = exported;
        if (metricsHandle != null) {
            metricsHandle.close();
        }
    }
}
