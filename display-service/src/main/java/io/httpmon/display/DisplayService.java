package io.httpmon.display;

import io.httpmon.common.ClientConfigs;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stats} (value {@link StatsWindow} JSON) and {@code alerts} (key rule name, value {@link AlertEvent}
 * JSON) and writes them to an {@link Output}. Every display instance reads every partition itself (no consumer
 * group), so each sees every record. Records that are not what they should be are logged and skipped. With a
 * checkpoint file, a restart continues exactly where the last flushed line ends.
 */
public final class DisplayService {

    private static final Logger log = LoggerFactory.getLogger(DisplayService.class);

    /**
     * @param fromBeginning without a checkpoint, start at the topics' beginning (else at their end)
     * @param once stop after the end-of-input marker of every partition of both topics
     * @param checkpoint where to keep the position, or null
     */
    public record Settings(OutputFormatter.Format format, boolean fromBeginning, boolean once, Path checkpoint) {
    }

    private final KafkaOptions kafka;
    private final Settings settings;
    private final OutputFormatter formatter;
    private final Deserializer<StatsWindow> statsReader = Topics.STATS.valueSerde().deserializer();
    private final Deserializer<AlertEvent> alertReader = Topics.ALERTS.valueSerde().deserializer();

    public DisplayService(KafkaOptions kafka, Settings settings) {
        this.kafka = kafka;
        this.settings = settings;
        this.formatter = new OutputFormatter(settings.format());
    }

    /** The output to open: given the length the checkpoint saw (-1 if none), it opens and, for a file, cuts back. */
    @FunctionalInterface
    public interface OutputOpener {
        Output open(long validLength) throws IOException;
    }

    public void run(OutputOpener opener, StopSignal stop) {
        if (!TopicAdmin.ensureTopics(kafka, List.of(Topics.STATS, Topics.ALERTS), stop)) {
            return;
        }
        String statsTopic = Topics.STATS.name(kafka.topicPrefix());
        String alertsTopic = Topics.ALERTS.name(kafka.topicPrefix());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            stop.onStop(consumer::wakeup);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(statsTopic, alertsTopic)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            DisplayCheckpoint saved = settings.checkpoint() == null ? null : DisplayCheckpoint.load(settings.checkpoint());
            position(consumer, partitions, saved);
            try (Output output = opener.open(saved == null ? -1 : saved.outputLength())) {
                loop(consumer, partitions, output, statsTopic, stop);
            }
        } catch (WakeupException e) {
            // stopping
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the output: " + e.getMessage(), e);
        }
    }

    private void position(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            DisplayCheckpoint saved) {
        for (TopicPartition tp : partitions) {
            Long offset = saved == null ? null : saved.offsets().get(tp.toString());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else if (settings.fromBeginning()) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seekToEnd(List.of(tp));
            }
        }
        // Resolve lazy seeks now: "the end" means the end as of start-up.
        partitions.forEach(consumer::position);
    }

    private void loop(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Output output,
            String statsTopic, StopSignal stop) throws IOException {
        Set<TopicPartition> ended = new HashSet<>();
        while (!stop.isStopped()) {
            var batch = consumer.poll(Duration.ofMillis(200));
            if (batch.isEmpty()) {
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            batch.forEach(records::add);
            // Stats and alerts in the order of the time they speak of.
            records.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.headers().lastHeader(Control.CONTROL) != null) {
                    ended.add(new TopicPartition(record.topic(), record.partition()));
                    continue;
                }
                String line = line(record, statsTopic);
                if (line != null) {
                    output.write(line);
                }
            }
            long length = output.flush();
            if (settings.checkpoint() != null) {
                Map<String, Long> offsets = new HashMap<>();
                partitions.forEach(tp -> offsets.put(tp.toString(), consumer.position(tp)));
                new DisplayCheckpoint(offsets, length).save(settings.checkpoint());
            }
            if (settings.once() && ended.containsAll(partitions)) {
                log.info("End of input reached on stats and alerts");
                return;
            }
        }
    }

    private String line(ConsumerRecord<byte[], byte[]> record, String statsTopic) {
        if (record.value() == null) {
            return null;
        }
        try {
            if (record.topic().equals(statsTopic)) {
                return formatter.stats(statsReader.deserialize(record.topic(), record.value()));
            }
            return formatter.alert(alertReader.deserialize(record.topic(), record.value()));
        } catch (SerializationException | NullPointerException e) {
            log.warn("Skipped the record at {}-{} offset {}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }
}
