package io.httpmon.common;

import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * One factory per client type. Each starts from the shared properties ({@code --kafka-config} and bootstrap
 * servers) and adds httpmon's defaults with {@code putIfAbsent}, so a setting in the file always wins.
 */
public final class ClientConfigs {

    private ClientConfigs() {}

    /** A transactional, idempotent producer tuned for throughput (batches, compression). */
    public static Properties transactionalProducer(Properties common, String transactionalId) {
        Properties props = copy(common);
        props.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // Freed batch buffers are kept up to buffer.memory (32 MiB by default) on the heap for good; a full buffer
        // makes send() wait for the broker, which is the back-pressure wanted.
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(8 * 1024 * 1024));
        // A crashed instance's open transaction blocks read_committed readers until it times out: keep it short.
        props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        // Never give up on a transient broker outage on our own: the caller decides (delivery.timeout.ms).
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        return props;
    }

    /** A consumer in a group that reads only committed records and commits offsets itself. */
    public static Properties groupConsumer(Properties common, String groupId) {
        Properties props = copy(common);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A raw-lines record is a chunk of up to 64 KiB: 64 of them are up to ~45,000 lines per poll and transaction.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "64");
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
        // A dead instance's partitions move to the others after this long (Kafka's default is 45 s).
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        return props;
    }

    /** A consumer without a group, for reading a topic from its start (assign, not subscribe). */
    public static Properties standaloneConsumer(Properties common) {
        Properties props = copy(common);
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    public static Properties admin(Properties common) {
        Properties props = copy(common);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return props;
    }

    private static Properties copy(Properties common) {
        Properties props = new Properties();
        props.putAll(common);
        return props;
    }
}
