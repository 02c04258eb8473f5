package io.httpmon.common;

import io.httpmon.common.ops.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits for the cluster and creates the topics a service needs, tolerating ones that already exist. */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final Duration REPEAT_WAIT_LOG = Duration.ofSeconds(30);
    /** A cluster starting beside us (compose) takes a few seconds: no warning unless it is still away after this. */
    private static final Duration FIRST_WAIT_LOG = Duration.ofSeconds(10);

    private TopicAdmin() {}

    /**
     * Blocks until the cluster answers, then creates every missing topic of {@code topics}.
     *
     * @return false if stopped while waiting
     * @throws KafkaAccessException when the cluster refuses our credentials or permissions
     */
    public static boolean ensureTopics(KafkaOptions options, List<Topic<?, ?>> topics, StopSignal stop) {
        Properties common = options.clientProperties();
        String bootstrap = common.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String waiting = "waiting for Kafka at " + bootstrap + " to accept connections";
        try (Admin admin = Admin.create(ClientConfigs.admin(common));
                Health.Handle health = Health.register("kafka", () -> waiting)) { // /health says what it waits for
            if (!awaitCluster(admin, bootstrap, stop)) {
                return false;
            }
            // The cluster answered; if it goes away before the topics are there, say so (once) and wait for it.
            boolean saidLost = false;
            while (!stop.isStopped()) {
                try {
                    createMissing(admin, options, topics);
                    if (saidLost) {
                        log.warn("Connected to Kafka at {} again; carrying on", bootstrap);
                    }
                    return true;
                } catch (TimeoutException e) {
                    if (!saidLost) {
                        log.warn(
                                "topics: lost the connection to Kafka at {}; waiting for it (retrying; nothing is "
                                        + "lost)",
                                bootstrap);
                        saidLost = true;
                    }
                    stop.sleep(Duration.ofSeconds(1));
                }
            }
            return false;
        } catch (ExecutionException e) {
            throw accessOr(e.getCause(), "creating topics");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates every missing topic of {@code topics}; each call waits at most a few seconds for the cluster. */
    private static void createMissing(Admin admin, KafkaOptions options, List<Topic<?, ?>> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            String name = topic.name(options.topicPrefix());
            if (!existing.contains(name)) {
                int partitions = topic.partitions() > 0 ? topic.partitions() : options.partitions();
                Map<String, String> configs = new java.util.HashMap<>(topic.configs());
                configs.putIfAbsent(
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(options.minInSyncReplicas()));
                missing.add(new NewTopic(name, partitions, options.replicationFactor()).configs(configs));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
                admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(5, TimeUnit.SECONDS);
                log.info("Created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitLeaders(admin, results.keySet());
    }

    /**
     * Waits (a few seconds at most) until the brokers' metadata gives every partition of the new topics a leader: a
     * created topic is committed by the controller before the brokers have applied it, and a transaction that writes
     * to a partition its broker does not know yet can wait on its commit markers.
     */
    private static void awaitLeaders(Admin admin, Set<String> created) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            try {
                boolean led = true;
                for (var description : admin.describeTopics(created)
                        .allTopicNames()
                        .get(5, TimeUnit.SECONDS)
                        .values()) {
                    for (var partition : description.partitions()) {
                        led &= partition.leader() != null && !partition.leader().isEmpty();
                    }
                }
                if (led) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // Not known to the broker we asked yet (UnknownTopicOrPartition), or slow: ask again.
            }
            Thread.sleep(100);
        }
        log.warn("topics: {} still have partitions without a leader after 10 s; carrying on", created);
    }

    private static boolean awaitCluster(Admin admin, String bootstrap, StopSignal stop) throws InterruptedException {
        long nextLog = System.nanoTime() + FIRST_WAIT_LOG.toNanos();
        while (!stop.isStopped()) {
            try {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                log.info("Kafka at {} is reachable", bootstrap); // from here on, a lost broker is said
                return true;
            } catch (TimeoutException e) {
                // The cluster is not there yet: wait, saying so now and then.
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                    throw accessOr(e.getCause(), "connecting");
                }
            }
            long now = System.nanoTime();
            if (now - nextLog >= 0) {
                log.warn(
                        "Waiting for Kafka at {} to accept connections (retrying): {}",
                        bootstrap,
                        KafkaProbe.diagnose(bootstrap));
                nextLog = now + REPEAT_WAIT_LOG.toNanos();
            }
            if (stop.sleep(Duration.ofSeconds(1))) {
                break;
            }
        }
        return false;
    }

    private static RuntimeException accessOr(Throwable cause, String doing) {
        if (cause instanceof AuthenticationException) {
            return new KafkaAccessException("Kafka authentication failed: " + cause.getMessage());
        }
        if (cause instanceof AuthorizationException) {
            return new KafkaAccessException("Kafka refused access while " + doing + ": " + cause.getMessage());
        }
        return new KafkaAccessException("Kafka failed while " + doing + ": " + cause);
    }
}
