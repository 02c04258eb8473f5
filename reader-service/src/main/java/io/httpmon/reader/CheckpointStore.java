package io.httpmon.reader;

import io.httpmon.common.ClientConfigs;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ReaderCheckpoint;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a reader's last committed position from the compacted {@code reader-checkpoints} topic. */
final class CheckpointStore {

    private CheckpointStore() {}

    /**
     * Reads the topic to its last stable offset and returns the newest checkpoint for {@code readerId}.
     * Call after the reader's producer has run {@code initTransactions()}, which aborts whatever a crashed
     * predecessor left open, so the answer matches what was committed.
     */
    static ReaderCheckpoint load(Properties common, String topic, String readerId) {
        Deserializer<ReaderCheckpoint> values =
                Topics.READER_CHECKPOINTS.valueSerde().deserializer();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, ReaderCheckpoint> consumer =
                new KafkaConsumer<>(ClientConfigs.standaloneConsumer(common), new StringDeserializer(), values)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            ReaderCheckpoint last = null;
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, ReaderCheckpoint> record : consumer.poll(Duration.ofMillis(500))) {
                    if (readerId.equals(record.key())) {
                        last = record.value();
                    }
                }
            }
            return last;
        }
    }
}
