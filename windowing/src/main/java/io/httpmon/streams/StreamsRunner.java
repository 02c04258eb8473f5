package io.httpmon.streams;

import io.httpmon.common.ConnectionWatch;
import io.httpmon.common.KafkaAccessException;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topic;
import io.httpmon.common.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a Kafka Streams service until stopped, the same way for stats and alerts. */
public final class StreamsRunner {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

    private StreamsRunner() {}

    /**
     * The Streams settings of an httpmon service: exactly once (v2), state under {@code stateDir}, records that
     * cannot be deserialised (a foreign producer's garbage) logged and skipped.
     */
    public static Properties config(KafkaOptions kafka, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(kafka.replicationFactor()));
        props.putIfAbsent(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(kafka.minInSyncReplicas()));
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // No record cache: stage one already sums each batch in memory and writes each counter once per batch, so
        // Streams' cache only added its own cost (its entries' objects, LRU upkeep, the flush at each commit). On the
        // bench file (2M lines, the monitor in 256 MiB) the whole run took 115 s of CPU without it, against 155 s
        // with 2 MiB, 137 s with 512 KiB and 187 s with 8 MiB, the output identical; Streams' default, 10 MiB per
        // instance, made the monitor spend its time in GC. The cost: a changelog record per counter per batch
        // instead of per commit (the changelogs are compacted).
        props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        // A requests record is a batch of ~700 requests (up to ~200 KiB): Streams' default of 1000 buffered records
        // per partition would hold hundreds of MiB. 8 batches (~5,600 requests) per partition keep it busy all the
        // same.
        props.putIfAbsent(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, "8");
        // A poll deserialises what it returns at once: 32 batches (~22,000 requests) per poll bound that too.
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "32");
        props.putIfAbsent(
                StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Integer.toString(8 * 1024 * 1024));
        // Changelog and partial records are small and many small batches go out at every commit: compressing each
        // cost more CPU (a new LZ4 stream and its buffers per batch) than it saved (14% of the whole monitor's CPU
        // on the bench file).
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDB.class.getName());
        // Stores on the heap (StateStores) are read back from their changelogs at every start, and the cleaner
        // compacts only closed segments: with the broker's 1 GiB segments a long-lived service would read its
        // changelogs' whole history. 16 MiB segments bound that to a few seconds (a changelog partition gets ~2 MiB
        // a million lines).
        props.putIfAbsent(
                StreamsConfig.topicPrefix(TopicConfig.SEGMENT_BYTES_CONFIG), Integer.toString(16 * 1024 * 1024));
        props.putIfAbsent(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipGarbageHandler.class.getName());
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "3000");
        // Internal topics (repartition, changelogs) carry event time, which may be years old (a replay) or up to
        // [Stats] max_future ahead: a cluster's own limits on record timestamps must not refuse them.
        props.putIfAbsent(StreamsConfig.topicPrefix("message.timestamp.before.max.ms"), Long.toString(Long.MAX_VALUE));
        props.putIfAbsent(StreamsConfig.topicPrefix("message.timestamp.after.max.ms"), Long.toString(Long.MAX_VALUE));
        return props;
    }

    /**
     * A Streams service's whole run: creates {@code topics} (its input and output) if missing, then runs
     * {@code topology} as application {@code <prefix><service>} until stopped.
     */
    public static void runService(
            String service,
            KafkaOptions kafka,
            List<Topic<?, ?>> topics,
            Topology topology,
            Path stateDir,
            StopSignal stop) {
        if (!TopicAdmin.ensureTopics(kafka, topics, stop)) {
            return; // stopped while waiting for the cluster
        }
        run(service, kafka, topology, config(kafka, kafka.topicPrefix() + service, stateDir), stop);
    }

    /** Starts the topology and blocks until stopped or failed; closes cleanly (committing) either way. */
    public static void run(String service, KafkaOptions kafka, Topology topology, Properties config, StopSignal stop) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // The watch first: building the Streams client takes a while, and a broker lost meanwhile must be said.
        try (ConnectionWatch watch = ConnectionWatch.start(service, kafka);
                KafkaStreams streams = new KafkaStreams(topology, config)) {
            watch.watch(streams::metrics);
            watch.readyWhen(
                    () -> streams.state() == KafkaStreams.State.RUNNING ? null : "Kafka Streams is " + streams.state());
            ClusterRetry retry = new ClusterRetry(service);
            streams.setUncaughtExceptionHandler(e -> {
                if (retry.retries(e, System.nanoTime())) {
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                }
                failure.set(e);
                stop.stop();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    retry.running();
                }
                if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                    log.info("{} is {}", config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), now);
                } else {
                    log.debug("{} is {}", config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), now);
                }
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stop.stop();
                }
            });
            streams.start();
            while (!stop.sleep(Duration.ofSeconds(1))) {
                // running
            }
            streams.close(Duration.ofSeconds(30));
        }
        Throwable e = failure.get();
        if (e != null) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AuthenticationException) {
                    throw new KafkaAccessException("Kafka authentication failed: " + t.getMessage());
                }
                if (t instanceof io.httpmon.windowing.ReplayStateLost) {
                    throw new IllegalStateException(t.getMessage(), e);
                }
            }
            throw new IllegalStateException("the stream processing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decides whether a stream thread that died of a cluster that is not ready yet (a broker restarting: "all
     * brokers are currently fenced" when Streams creates its internal topics; a retriable error) is replaced
     * rather than the service stopped. Exactly-once holds across a replacement (the thread's transaction is
     * aborted). Said once; for up to {@link #PATIENCE} from the first such failure, after which it is a failure.
     */
    static final class ClusterRetry {
        static final Duration PATIENCE = Duration.ofMinutes(2);

        private final String service;
        private long firstAt = -1;

        ClusterRetry(String service) {
            this.service = service;
        }

        boolean retries(Throwable e, long nowNanos) {
            if (!isTransient(e)) {
                return false;
            }
            if (firstAt < 0) {
                firstAt = nowNanos;
                log.warn(
                        "{}: Kafka is not ready for the stream processing yet ({}); retrying for up to {} min",
                        service,
                        rootMessage(e),
                        PATIENCE.toMinutes());
            }
            return nowNanos - firstAt < PATIENCE.toNanos();
        }

        /** Running again: a later failure of the same kind (another broker lost) gets its own patience. */
        void running() {
            if (firstAt >= 0) {
                log.info("{}: the stream processing runs again", service);
                firstAt = -1;
            }
        }

        /**
         * A cluster not ready yet: a retriable error; a broker still fenced after its restart; or a transaction
         * whose coordinator moved to another broker mid-commit (a broker lost: Kafka answers the commit with an
         * invalid transaction state or producer epoch). The replaced thread's transaction is aborted and its tasks
         * start again from the last commit, so exactly-once holds.
         */
        static boolean isTransient(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RetriableException
                        || t instanceof InvalidTxnStateException
                        || t instanceof InvalidProducerEpochException
                        || (t instanceof InvalidReplicationFactorException
                                && String.valueOf(t.getMessage()).contains("fenced"))) {
                    return true;
                }
            }
            return false;
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage();
        }
    }
}
