package io.httpmon.reader;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ConnectionWatch;
import io.httpmon.common.Control;
import io.httpmon.common.ControlChars;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ReaderCheckpoint;
import io.httpmon.common.ops.ServiceMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * is lost or published twice. A {@code raw-lines} record is a chunk: no key, whole lines (each followed by a
 * newline) up to {@link #CHUNK_BYTES} as value, with the number of its first line and the file position after its
 * last; chunks go to the partitions in turn. A line cut for length is a chunk of its own with the
 * {@link ChunkHeaders#TRUNCATED} header. With {@code once}, the end of the file is followed by one
 * {@link Control.Kind#END_OF_INPUT} record on every partition.
 */
public final class ReaderService {

    /**
     * A chunk (one raw-lines record) holds whole lines up to this many bytes; a longer line is a chunk of its own.
     * Large enough that Kafka's per-record cost is spread over hundreds of lines, small enough that a chunk is
     * parsed in well under a millisecond. A quiet live log never waits for a chunk to fill: what is there is sent.
     */
    static final int CHUNK_BYTES = 64 * 1024;

    /** How long the file must be quiet before the first idle heartbeat, and the pause between heartbeats. */
    static final long HEARTBEAT_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReaderService.class);

    private final ReaderSettings settings;
    private final KafkaOptions kafka;
    private final String rawLinesTopic;
    private final String checkpointTopic;
    private final byte[] fileHeader;
    /** This reader as a source downstream (its reader id): on every record it publishes. */
    private final byte[] sourceHeader;

    private long published;
    /** Chunks published, the open transaction's included (reset from the checkpoint when it fails). */
    private long chunks;

    private int rawPartitions = -1;
    /** The latest W3C {@code #Fields:} line published (see {@link ChunkHeaders#FIELDS_DIRECTIVE}), or null. */
    private String fieldsDirective;
    /** The one in force at the first line of the chunk being gathered. */
    private String chunkDirective;

    /**
     * Readers started together for one replay (the monitor's {@code --once} with several files): each counts down
     * once it has said hello and waits for the others before its first line.
     */
    private final CountDownLatch announced;

    private boolean countedDown;

    public ReaderService(ReaderSettings settings, KafkaOptions kafka) {
        this(settings, kafka, new CountDownLatch(0));
    }

    public ReaderService(ReaderSettings settings, KafkaOptions kafka, CountDownLatch announced) {
        this.announced = announced;
        this.settings = settings;
        this.kafka = kafka;
        this.rawLinesTopic = Topics.RAW_LINES.name(kafka.topicPrefix());
        this.checkpointTopic = Topics.READER_CHECKPOINTS.name(kafka.topicPrefix());
        this.fileHeader = settings.file().toString().getBytes(StandardCharsets.UTF_8);
        this.sourceHeader = settings.readerId().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs until stopped (or, with {@code once}, until the file's end has been published). */
    public void run(StopSignal stop) {
        ServiceMetrics.export("reader");
        if (!TopicAdmin.ensureTopics(kafka, List.of(Topics.RAW_LINES, Topics.READER_CHECKPOINTS), stop)) {
            return;
        }
        log.info(
                "Source '{}': publishing {} to {}",
                ControlChars.escape(settings.readerId()),
                ControlChars.escape(settings.file().toString()),
                rawLinesTopic);
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
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                watch.watch(producer::metrics);
                producer.initTransactions();
                ReaderCheckpoint saved = CheckpointStore.load(common, checkpointTopic, settings.readerId(), stop);
                if (stop.isStopped()) {
                    return;
                }
                published = saved == null ? 0 : saved.lines();
                chunks = saved == null ? 0 : saved.chunks();
                fieldsDirective = saved == null ? null : saved.fieldsDirective();
                sendHello(producer);
                if (!awaitOthers(stop)) {
                    return;
                }
                try (FileFollower follower = follower(saved)) {
                    if (follow(follower, producer, stop)) {
                        return;
                    }
                }
            } catch (ProducerFencedException e) {
                throw new IllegalStateException(
                        "another reader with id '" + settings.readerId() + "' took over this file; stopping this one");
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
        FileFollower.Position resume = saved == null
                ? null
                : new FileFollower.Position(
                        saved.fileKey(), saved.openPath() == null ? null : Path.of(saved.openPath()), saved.offset());
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
                if (!settings.once()
                        && !follower.rotationPending()
                        && now - idleSince >= HEARTBEAT_MS
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

    /**
     * Every partition: "source {@code readerId} publishes from now on" (see {@link Control.Kind#HELLO}), before any
     * line, so another reader's end of input does not close the windows this one is about to fill.
     */
    private void sendHello(Producer<byte[], byte[]> producer) {
        int partitions = partitions(producer);
        producer.beginTransaction();
        for (int p = 0; p < partitions; p++) {
            producer.send(Control.hello(System.currentTimeMillis())
                    .by(settings.readerId())
                    .toRecord(rawLinesTopic, p));
        }
        producer.commitTransaction();
    }

    /** Counts this reader as announced and waits for the others of its replay; false when stopped meanwhile. */
    private boolean awaitOthers(StopSignal stop) {
        if (!countedDown) {
            countedDown = true;
            announced.countDown();
        }
        try {
            while (!announced.await(100, TimeUnit.MILLISECONDS)) {
                if (stop.isStopped()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every partition: "nothing new in the file as of {@code now}" (see {@link Control.Kind#IDLE}). */
    private void sendIdle(Producer<byte[], byte[]> producer, long now) {
        int partitions = partitions(producer);
        producer.beginTransaction();
        for (int p = 0; p < partitions; p++) {
            producer.send(Control.idle(now).by(settings.readerId()).toRecord(rawLinesTopic, p));
        }
        producer.commitTransaction();
    }

    private void publish(Producer<byte[], byte[]> producer, FileFollower.Chunk chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        int partitions = partitions(producer);
        producer.beginTransaction();
        long lineNumber = published + 1;
        ChunkBuffer buffer = new ChunkBuffer();
        // What was read at once is spread over every partition (up to CHUNK_BYTES a chunk): a short log read in
        // one go, e.g. a historic file followed live, must not leave partitions without a request, whose windows
        // downstream would wait for them.
        long bytes = 0;
        for (FileFollower.Line line : chunk.lines()) {
            bytes += line.bytes().length + 1;
        }
        long limit = Math.min(CHUNK_BYTES, (bytes + partitions - 1) / partitions);
        for (FileFollower.Line line : chunk.lines()) {
            if (line.truncated()) {
                // A cut line is a chunk of its own, marked, so the parser can say how long it was.
                sendChunk(producer, buffer, partitions, lineNumber - buffer.lines, -1);
                buffer.add(line);
                sendChunk(producer, buffer, partitions, lineNumber, line.originalLength());
            } else {
                if (buffer.size > 0 && buffer.size + line.bytes().length + 1 > limit) {
                    sendChunk(producer, buffer, partitions, lineNumber - buffer.lines, -1);
                }
                if (buffer.lines == 0) {
                    chunkDirective = fieldsDirective;
                }
                buffer.add(line);
                noteDirective(line.bytes());
            }
            lineNumber++;
        }
        sendChunk(producer, buffer, partitions, lineNumber - buffer.lines, -1);
        published += chunk.lines().size();
        producer.send(checkpoint(chunk.end()));
        producer.commitTransaction();
        ServiceMetrics.LINES_READ.inc(chunk.lines().size());
        ServiceMetrics.SOURCE_LINES
                .labelValues(settings.readerId())
                .inc(chunk.lines().size());
        ServiceMetrics.BYTES_READ.inc(bytes);
    }

    /**
     * Sends the buffered lines as one raw-lines record (none when the buffer is empty) and empties the buffer;
     * {@code cutFrom} is the original length of a line the reader cut (the chunk's only line), or -1.
     * Chunks go to the partitions in turn: every partition moves forward in event time together (so none holds back
     * the windows downstream), and after a restart the count goes on from the checkpoint.
     */
    private void sendChunk(
            Producer<byte[], byte[]> producer, ChunkBuffer buffer, int partitions, long firstLine, long cutFrom) {
        if (buffer.lines == 0) {
            return;
        }
        int partition = (int) (chunks++ % partitions);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(rawLinesTopic, partition, null, buffer.take());
        record.headers().add(ChunkHeaders.SOURCE_FILE, fileHeader);
        record.headers().add(ChunkHeaders.SOURCE, sourceHeader);
        record.headers().add(ChunkHeaders.FIRST_LINE, Long.toString(firstLine).getBytes(StandardCharsets.US_ASCII));
        record.headers()
                .add(ChunkHeaders.END_OFFSET, Long.toString(buffer.endOffset).getBytes(StandardCharsets.US_ASCII));
        if (chunkDirective != null && cutFrom < 0) {
            record.headers().add(ChunkHeaders.FIELDS_DIRECTIVE, chunkDirective.getBytes(StandardCharsets.UTF_8));
        }
        if (cutFrom >= 0) {
            record.headers()
                    .add(new RecordHeader(
                            ChunkHeaders.TRUNCATED, Long.toString(cutFrom).getBytes(StandardCharsets.US_ASCII)));
        }
        producer.send(record);
    }

    private static final byte[] FIELDS = "#Fields:".getBytes(StandardCharsets.US_ASCII);

    /** Remembers a W3C {@code #Fields:} line: the chunks after it carry it for the parsers that did not see it. */
    private void noteDirective(byte[] line) {
        if (line.length > FIELDS.length
                && line[0] == '#'
                && java.util.Arrays.equals(line, 0, FIELDS.length, FIELDS, 0, FIELDS.length)) {
            fieldsDirective = new String(line, StandardCharsets.UTF_8);
        }
    }

    /** Lines gathered for one chunk, each followed by a newline. */
    private static final class ChunkBuffer {
        private byte[] bytes = new byte[CHUNK_BYTES];
        int size;
        int lines;
        long endOffset;

        void add(FileFollower.Line line) {
            byte[] b = line.bytes();
            if (size + b.length + 1 > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + b.length + 1));
            }
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            bytes[size++] = '\n';
            lines++;
            endOffset = line.endOffset();
        }

        byte[] take() {
            byte[] chunk = java.util.Arrays.copyOf(bytes, size);
            size = 0;
            lines = 0;
            return chunk;
        }
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
            producer.send(Control.endOfInput(System.currentTimeMillis())
                    .by(settings.readerId())
                    .toRecord(rawLinesTopic, p));
        }
        producer.send(checkpoint(end));
        producer.commitTransaction();
        log.info("Published {} lines of {} and the end-of-input marker", published, settings.file());
    }

    private ProducerRecord<byte[], byte[]> checkpoint(FileFollower.Position end) {
        ReaderCheckpoint checkpoint = new ReaderCheckpoint(
                settings.file().toString(),
                end.fileKey(),
                end.openPath().toString(),
                end.offset(),
                published,
                System.currentTimeMillis(),
                chunks,
                fieldsDirective);
        byte[] key = settings.readerId().getBytes(StandardCharsets.UTF_8);
        byte[] value = Topics.READER_CHECKPOINTS.valueSerde().serializer().serialize(checkpointTopic, checkpoint);
        return new ProducerRecord<>(checkpointTopic, 0, key, value);
    }

    /** Lines published by this reader id so far (including earlier runs). */
    public long published() {
        return published;
    }
}
