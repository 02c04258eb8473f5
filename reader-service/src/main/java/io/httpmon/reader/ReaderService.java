package io.httpmon.reader;

import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ConnectionWatch;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ReaderCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the lines of a followed file to {@code raw-lines}, exactly once.
 *
 * <p>Each batch of lines and the reader's new position (on {@code reader-checkpoints}, key the reader id, value
 * {@link ReaderCheckpoint}) are one Kafka transaction: either both are visible to {@code read_committed} readers or
 * neither is. After a crash or a failed commit the reader starts again from the last committed position, so no line
 * is lost or published twice. {@code raw-lines} records have no key and the line's bytes as value, and go to the
 * partitions in turn by line number; a line cut for
 * length carries the {@link Control#TRUNCATED} header. With {@code once}, the end of the file is followed by one
 * {@link Control#END_OF_INPUT} record on every partition.
 */
public final class ReaderService {

    /** How long the file must be quiet before the first idle heartbeat, and the pause between heartbeats. */
    static final long HEARTBEAT_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReaderService.class);

    private final ReaderSettings settings;
    private final KafkaOptions kafka;
    private final String rawLinesTopic;
    private final String checkpointTopic;
    private long published;
    private int rawPartitions = -1;

    public ReaderService(ReaderSettings settings, KafkaOptions kafka) {
        this.settings = settings;
        this.kafka = kafka;
        this.rawLinesTopic = Topics.RAW_LINES.name(kafka.topicPrefix());
        this.checkpointTopic = Topics.READER_CHECKPOINTS.name(kafka.topicPrefix());
    }

    /** Runs until stopped (or, with {@code once}, until the file's end has been published). */
    public void run(StopSignal stop) {
        if (!TopicAdmin.ensureTopics(kafka, List.of(Topics.RAW_LINES, Topics.READER_CHECKPOINTS), stop)) {
            return;
        }
        Properties common = kafka.clientProperties();
        String transactionalId = kafka.topicPrefix() + "reader-" + settings.readerId();
        try (ConnectionWatch watch = ConnectionWatch.start("reader", kafka)) {
            publish(common, transactionalId, watch, stop);
        }
    }

    private void publish(Properties common, String transactionalId, ConnectionWatch watch, StopSignal stop) {
        while (!stop.isStopped()) {
            try (Producer<byte[], byte[]> producer = new KafkaProducer<>(
                    ClientConfigs.transactionalProducer(common, transactionalId),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                watch.watch(producer::metrics);
                producer.initTransactions();
                ReaderCheckpoint saved = CheckpointStore.load(common, checkpointTopic, settings.readerId());
                published = saved == null ? 0 : saved.lines();
                try (FileFollower follower = follower(saved)) {
                    if (follow(follower, producer, stop)) {
                        return;
                    }
                }
            } catch (ProducerFencedException e) {
                throw new IllegalStateException("another reader with id '" + settings.readerId()
                        + "' took over this file; stopping this one");
            } catch (AuthenticationException | AuthorizationException e) {
                throw e;
            } catch (KafkaException e) {
                // The transaction did not commit: start over from the last committed position.
                log.warn("Kafka failed ({}); resuming from the last committed position", e.getMessage());
                stop.sleep(Duration.ofSeconds(1));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + settings.file() + ": " + e.getMessage(), e);
            }
        }
    }

    private FileFollower follower(ReaderCheckpoint saved) {
        FileFollower.Position resume = saved == null ? null
                : new FileFollower.Position(saved.fileKey(), saved.openPath() == null ? null : Path.of(saved.openPath()),
                        saved.offset());
        if (saved != null) {
            log.info("Resuming {} after line {} (byte {})", settings.file(), saved.lines(), saved.offset());
        }
        FileFollower.Start start = settings.once() ? FileFollower.Start.BEGINNING : settings.start();
        return new FileFollower(settings.file(), start, resume, settings.maxLineBytes());
    }

    /** @return true when done (once mode finished), false when stopped */
    private boolean follow(FileFollower follower, Producer<byte[], byte[]> producer, StopSignal stop)
            throws IOException {
        long idleSince = -1;
        long lastHeartbeat = 0;
        while (!stop.isStopped()) {
            FileFollower.Chunk chunk = follower.poll(settings.maxBatchBytes());
            if (chunk.isEmpty()) {
                if (settings.once() && chunk.end() != null) {
                    FileFollower.Chunk last = follower.finish();
                    publish(producer, last);
                    sendEndOfInput(producer, last.end());
                    return true;
                }
                long now = System.currentTimeMillis();
                if (idleSince < 0) {
                    idleSince = now;
                }
                // While a rotated file is being finished, the new one may hold lines not yet published: not idle.
                if (!settings.once() && !follower.rotationPending() && now - idleSince >= HEARTBEAT_MS
                        && now - lastHeartbeat >= HEARTBEAT_MS) {
                    sendIdle(producer, now);
                    lastHeartbeat = now;
                }
                stop.sleep(settings.pollInterval());
                continue;
            }
            idleSince = -1;
            publish(producer, chunk);
        }
        return false;
    }

    /** Every partition: "nothing new in the file as of {@code now}" (see {@link Control#IDLE}). */
    private void sendIdle(Producer<byte[], byte[]> producer, long now) {
        int partitions = partitions(producer);
        producer.beginTransaction();
        for (int p = 0; p < partitions; p++) {
            ProducerRecord<byte[], byte[]> marker = new ProducerRecord<>(rawLinesTopic, p, now, (byte[]) null, (byte[]) null);
            marker.headers().add(Control.CONTROL, Control.IDLE.getBytes(StandardCharsets.US_ASCII));
            producer.send(marker);
        }
        producer.commitTransaction();
    }

    private void publish(Producer<byte[], byte[]> producer, FileFollower.Chunk chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        byte[] fileHeader = settings.file().toString().getBytes(StandardCharsets.UTF_8);
        int partitions = partitions(producer);
        producer.beginTransaction();
        long index = published;
        for (FileFollower.Line line : chunk.lines()) {
            // Round robin by line number: every partition moves forward in event time together (so none holds
            // back the windows downstream), and a replay puts each line where the live run put it.
            int partition = (int) (index++ % partitions);
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(rawLinesTopic, partition, null, line.bytes());
            record.headers().add(Control.SOURCE_FILE, fileHeader);
            if (line.truncated()) {
                record.headers().add(new RecordHeader(Control.TRUNCATED,
                        Long.toString(line.originalLength()).getBytes(StandardCharsets.US_ASCII)));
            }
            producer.send(record);
        }
        published += chunk.lines().size();
        producer.send(checkpoint(chunk.end()));
        producer.commitTransaction();
    }

    private int partitions(Producer<byte[], byte[]> producer) {
        if (rawPartitions < 0) {
            rawPartitions = producer.partitionsFor(rawLinesTopic).size();
        }
        return rawPartitions;
    }

    private void sendEndOfInput(Producer<byte[], byte[]> producer, FileFollower.Position end) {
        int partitions = partitions(producer);
        producer.beginTransaction();
        for (int p = 0; p < partitions; p++) {
            ProducerRecord<byte[], byte[]> marker = new ProducerRecord<>(rawLinesTopic, p, null, null);
            marker.headers().add(Control.CONTROL, Control.END_OF_INPUT.getBytes(StandardCharsets.US_ASCII));
            producer.send(marker);
        }
        producer.send(checkpoint(end));
        producer.commitTransaction();
        log.info("Published {} lines of {} and the end-of-input marker", published, settings.file());
    }

    private ProducerRecord<byte[], byte[]> checkpoint(FileFollower.Position end) {
        ReaderCheckpoint checkpoint = new ReaderCheckpoint(settings.file().toString(), end.fileKey(),
                end.openPath().toString(), end.offset(), published, System.currentTimeMillis());
        byte[] key = settings.readerId().getBytes(StandardCharsets.UTF_8);
        byte[] value = Topics.READER_CHECKPOINTS.valueSerde().serializer().serialize(checkpointTopic, checkpoint);
        return new ProducerRecord<>(checkpointTopic, 0, key, value);
    }

    /** Lines published by this reader id so far (including earlier runs). */
    public long published() {
        return published;
    }
}
