package io.httpmon.reader;

import io.httpmon.common.ClientConfigs;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ReaderCheckpoint;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a reader's last committed position from the compacted {@code reader-checkpoints} topic. */
final class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    /** Another reader's transaction lasts one chunk: one still open after this is said, with what it holds up. */
    private static final Duration SAY_WAITING_AFTER = Duration.ofSeconds(10);

    private CheckpointStore() {}

    /**
     * Returns the newest checkpoint for {@code readerId} among every record written to the topic before this call,
     * or null when there is none (or when stopped while waiting).
     *
     * <p>Call after the reader's producer has run {@code initTransactions()}, which aborts whatever a crashed
     * predecessor left open. Every reader writes its checkpoints to the one partition, so another reader's open
     * transaction holds back what a {@code read_committed} consumer sees (its last stable offset), and this reader's
     * checkpoints committed after that transaction began lie beyond it. So the read goes on to the end of the log as
     * it was at the start, waiting for such transactions to end, and never stops at the last stable offset: stopping
     * there would resume from an older checkpoint and publish its lines twice.
     */
    static ReaderCheckpoint load(Properties common, String topic, String readerId, StopSignal stop) {
        Deserializer<ReaderCheckpoint> values =
                Topics.READER_CHECKPOINTS.valueSerde().deserializer();
        TopicPartition partition = new TopicPartition(topic, 0);
        long end = endOfLog(common, partition);
        try (KafkaConsumer<String, ReaderCheckpoint> consumer =
                new KafkaConsumer<>(ClientConfigs.standaloneConsumer(common), new StringDeserializer(), values)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            ReaderCheckpoint last = null;
            long sayAt = System.nanoTime() + SAY_WAITING_AFTER.toNanos();
            boolean said = false;
            while (consumer.position(partition) < end) {
                if (stop.isStopped()) {
                    return null;
                }
                for (ConsumerRecord<String, ReaderCheckpoint> record : consumer.poll(Duration.ofMillis(500))) {
                    if (readerId.equals(record.key())) {
                        last = record.value();
                    }
                }
                if (!said && System.nanoTime() - sayAt > 0 && consumer.position(partition) < end) {
                    log.warn(
                            "Source '{}': waiting for a transaction open on {} (at offset {}, its end {}) to end before "
                                    + "resuming: this source's last checkpoint may be behind it (a reader killed "
                                    + "mid-chunk: its transaction times out; one that never ends: "
                                    + "kafka-transactions.sh find-hanging)",
                            readerId,
                            topic,
                            consumer.position(partition),
                            end);
                    said = true;
                }
            }
            if (said) {
                log.info("Source '{}': the transaction on {} ended; resuming", readerId, topic);
            }
            return last;
        }
    }

    /** The partition's end, open transactions' records included: a {@code read_committed} consumer says less. */
    private static long endOfLog(Properties common, TopicPartition partition) {
        Properties props = ClientConfigs.standaloneConsumer(common);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }
}
