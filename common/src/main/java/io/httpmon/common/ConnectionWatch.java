package io.httpmon.common;

import java.time.Duration;
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
 * <p>Reads the clients' {@code connection-count} metrics once a second (from its own thread: a client's
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

    private boolean everConnected;
    /** When the service started to connect (the watch's start): a start-up's silence counts from here. */
    private long startedAt = -1;
    private long zeroSince = -1;
    private long lostSince = -1;
    /** After a loss, when connections were first seen again: back once they are still there at the next look. */
    private long backSince = -1;
    private volatile int outages;
    private double lastResponses = -1;
    private double lastConnections;

    ConnectionWatch(String service, String bootstrapServers) {
        this.service = service;
        this.bootstrapServers = bootstrapServers;
        this.thread = new Thread(this::checkEverySecond, service + "-kafka-connection-watch");
        thread.setDaemon(true);
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
                double connections = sum(now, "connection-count");
                double responses = sum(now, "response-total");
                log.debug("{}: {} connections to Kafka, {} responses", service, connections, responses);
                observe(connections, responses, System.currentTimeMillis());
            } catch (RuntimeException e) {
                log.debug("{}: cannot read the Kafka client metrics: {}", service, e.toString());
            }
        }
    }

    /** The connections of the clients in use (see {@link #sum}). */
    static double connections(Map<MetricName, ? extends Metric> metrics) {
        return sum(metrics, "connection-count");
    }

    /**
     * The metric {@code name} summed over the clients in use. A Kafka Streams restore consumer sits unpolled while
     * there is nothing to restore, so it never notices a connection drop: it is left out.
     */
    static double sum(Map<MetricName, ? extends Metric> metrics, String name) {
        double sum = 0;
        for (var e : metrics.entrySet()) {
            MetricName metric = e.getKey();
            if (metric.name().equals(name)
                    && !metric.tags().getOrDefault("client-id", "").endsWith("restore-consumer")
                    && e.getValue().metricValue() instanceof Number n) {
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
    }
}
