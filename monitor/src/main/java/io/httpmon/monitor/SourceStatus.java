package io.httpmon.monitor;

import io.httpmon.common.Topics;
import io.httpmon.common.model.ReaderCheckpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The sources of a pipeline (one reader each: one web server's log), as their saved positions on
 * {@code reader-checkpoints} say: which file, how many lines, and when each last published, so a quiet or stopped
 * server stands out.
 *
 * @param source the reader's id (its source id downstream)
 * @param file the file it follows
 * @param lines lines it has published
 * @param lastPublished when it last published (its clock, epoch ms)
 */
record SourceStatus(String source, String file, long lines, long lastPublished) {

    /** Every source's latest checkpoint, by source id; reads the topic to its end with {@code reader}. */
    static List<SourceStatus> read(Consumer<byte[], byte[]> reader, String prefix) {
        String topic = Topics.READER_CHECKPOINTS.name(prefix);
        if (reader.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty()) {
            return List.of();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
        long end = reader.endOffsets(List.of(partition)).get(partition);
        Deserializer<ReaderCheckpoint> values =
                Topics.READER_CHECKPOINTS.valueSerde().deserializer();
        Map<String, SourceStatus> latest = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reader.position(partition) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
                if (record.key() == null || record.value() == null) {
                    continue;
                }
                ReaderCheckpoint checkpoint = values.deserialize(topic, record.value());
                String source = new String(record.key(), StandardCharsets.UTF_8);
                latest.put(
                        source,
                        new SourceStatus(source, checkpoint.path(), checkpoint.lines(), checkpoint.updatedAt()));
            }
        }
        reader.unsubscribe();
        return new ArrayList<>(latest.values());
    }
}
