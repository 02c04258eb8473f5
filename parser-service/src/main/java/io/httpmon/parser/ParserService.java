package io.httpmon.parser;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ConnectionWatch;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.PartitionOf;
import io.httpmon.common.StopSignal;
import io.httpmon.common.ThrottledWarning;
import io.httpmon.common.Times;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.ParseError;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.parser.format.ClientPolicy;
import io.httpmon.parser.format.LogFormats;
import io.httpmon.parser.format.LogReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code raw-lines} in the consumer group {@code <prefix>parser} and publishes, per chunk of lines, one
 * batch of its requests on {@code requests} (no key, value {@link RequestBatch} JSON, record timestamp the newest
 * request's time, partition the chunk's partition number) and per bad line a dead letter on {@code parse-errors}
 * (value {@link ParseError} JSON, naming the line). Read, write and offset commit of every
 * polled batch are one Kafka transaction, so a crash neither loses nor repeats a record. Run as many instances as
 * {@code raw-lines} has partitions; they share the partitions. An end-of-input control record is passed on to every
 * partition of {@code requests}.
 */
public final class ParserService {

    private static final Logger log = LoggerFactory.getLogger(ParserService.class);

    private final KafkaOptions kafka;
    private final String instanceId;
    private final String rawLinesTopic;
    private final String requestsTopic;
    private final String parseErrorsTopic;
    private final Serializer<RequestBatch> batchSerializer =
            Topics.REQUESTS.valueSerde().serializer();
    private final Serializer<ParseError> errorSerializer =
            Topics.PARSE_ERRORS.valueSerde().serializer();

    private final long maxFutureMs;
    private final ThrottledWarning futureWarning;
    private final LogReader reader;
    private final DeadLetterReport deadLetterReport;

    private long requests;
    private long deadLetters;

    public ParserService(KafkaOptions kafka, String instanceId) {
        this(kafka, instanceId, Duration.ofMillis(RawLineParser.DEFAULT_MAX_FUTURE_MS));
    }

    /**
     * @param maxFuture how far ahead of the reader's clock a request may be stamped; beyond it, a dead letter
     */
    public ParserService(KafkaOptions kafka, String instanceId, Duration maxFuture) {
        this(kafka, instanceId, maxFuture, LogFormats.AUTO, ClientPolicy.REMOTE_ADDR);
    }

    /**
     * @param maxFuture how far ahead of the reader's clock a request may be stamped; beyond it, a dead letter
     * @param format {@code [Log] format}: a preset, {@code auto}, or a format string (checked by the caller with
     *     {@link LogFormats#choose}; compiled here, as each parser thread needs its own)
     * @param clients {@code [Log] client} and {@code trusted_proxies}
     */
    public ParserService(
            KafkaOptions kafka, String instanceId, Duration maxFuture, String format, ClientPolicy clients) {
        this.kafka = kafka;
        this.reader = new LogReader(LogFormats.choose(format, clients));
        this.instanceId = instanceId;
        this.maxFutureMs = maxFuture.toMillis();
        this.futureWarning = new ThrottledWarning(
                log,
                (count, largest) -> count + " request"
                        + (count == 1 ? "" : "s") + " stamped up to " + Times.span(largest)
                        + " ahead of this host's clock went to the dead letters ("
                        + Topics.PARSE_ERRORS.name(kafka.topicPrefix())
                        + "; [Stats] max_future = " + maxFutureMs / 1000
                        + " s): is the web server's clock or time zone wrong?");
        this.rawLinesTopic = Topics.RAW_LINES.name(kafka.topicPrefix());
        this.requestsTopic = Topics.REQUESTS.name(kafka.topicPrefix());
        this.parseErrorsTopic = Topics.PARSE_ERRORS.name(kafka.topicPrefix());
        this.deadLetterReport = new DeadLetterReport(log, parseErrorsTopic, reader, 10_000, System::currentTimeMillis);
    }

    /** The consumer group every parser instance of a deployment joins. */
    public static String groupId(String topicPrefix) {
        return topicPrefix + "parser";
    }

    public void run(StopSignal stop) {
        ServiceMetrics.export("parser");
        if (!TopicAdmin.ensureTopics(kafka, List.of(Topics.RAW_LINES, Topics.REQUESTS, Topics.PARSE_ERRORS), stop)) {
            return;
        }
        Properties common = kafka.clientProperties();
        try (ConnectionWatch watch = ConnectionWatch.start("parser " + instanceId, kafka)) {
            consume(common, watch, stop);
        }
        futureWarning.flush();
        deadLetterReport.flush();
        log.info("Parser {} stopped: {} requests, {} dead letters", instanceId, requests, deadLetters);
    }

    private void consume(Properties common, ConnectionWatch watch, StopSignal stop) {
        while (!stop.isStopped()) {
            int outagesBefore = watch.outages();
            try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                            ClientConfigs.groupConsumer(common, groupId(kafka.topicPrefix())),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                    Producer<byte[], byte[]> producer = new KafkaProducer<>(
                            ClientConfigs.transactionalProducer(common, kafka.topicPrefix() + "parser-" + instanceId),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                stop.onStop(consumer::wakeup);
                watch.watch(() -> {
                    Map<MetricName, Metric> both = new HashMap<>(consumer.metrics());
                    both.putAll(producer.metrics());
                    return both;
                });
                producer.initTransactions();
                consumer.subscribe(List.of(rawLinesTopic));
                log.info("Parser {} consuming {} in group {}", instanceId, rawLinesTopic, groupId(kafka.topicPrefix()));
                consumeLoop(consumer, producer, stop);
            } catch (WakeupException e) {
                // stopping
            } catch (ProducerFencedException e) {
                if (watch.outages() > outagesBefore) {
                    // The broker was away longer than transaction.timeout.ms with a transaction open: it aborted
                    // the transaction and fenced the producer. Nothing was committed; start again from the offsets.
                    log.warn("Kafka aborted this parser's open transaction while it was unreachable; restarting "
                            + "from the last committed offsets");
                    continue;
                }
                throw new IllegalStateException(
                        "another parser with instance id '" + instanceId + "' took over; stopping this one");
            } catch (AuthenticationException | AuthorizationException e) {
                throw e;
            } catch (KafkaException e) {
                // Uncommitted work is aborted by the broker and read again from the committed offsets.
                log.warn("Kafka failed ({}); restarting from the last committed offsets", e.getMessage());
                stop.sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void consumeLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, StopSignal stop) {
        int requestPartitions = producer.partitionsFor(requestsTopic).size();
        while (!stop.isStopped()) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
            if (batch.isEmpty()) {
                continue;
            }
            producer.beginTransaction();
            long lines = 0;
            List<ParseError> chunkDeadLetters = new java.util.ArrayList<>();
            long parsed = 0;
            long dead = 0;
            long future = 0;
            Map<String, long[]> bySource = new HashMap<>(); // requests, dead letters
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                RawLineParser.Outcome outcome = RawLineParser.handle(record, maxFutureMs, reader);
                if (outcome.control() != null) {
                    forwardControl(producer, record, outcome.control(), requestPartitions);
                    continue;
                }
                RequestBatch requestBatch = outcome.batch();
                if (!requestBatch.requests().isEmpty() || requestBatch.future() > 0 || requestBatch.deadLetters() > 0) {
                    // Same partition number as the chunk: requests stay balanced and replay like live. The future
                    // lines are counted by the statistics in the window the batch arrives in.
                    int partition = record.partition() % requestPartitions;
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(ChunkHeaders.PARTITION, new PartitionOf(partition, requestPartitions).bytes());
                    Header source = record.headers().lastHeader(ChunkHeaders.SOURCE);
                    if (source != null) {
                        headers.add(source);
                    }
                    byte[] value = batchSerializer.serialize(requestsTopic, headers, requestBatch); // + the times
                    producer.send(new ProducerRecord<>(
                            requestsTopic, partition, requestBatch.newestTime(), null, value, headers));
                    parsed += requestBatch.requests().size();
                }
                long[] sourceCounts = bySource.computeIfAbsent(ChunkHeaders.source(record.headers()), s -> new long[2]);
                sourceCounts[0] += requestBatch.requests().size();
                sourceCounts[1] += outcome.deadLetters().size();
                lines += outcome.batch().requests().size()
                        + outcome.deadLetters().size();
                chunkDeadLetters.addAll(outcome.deadLetters());
                for (ParseError deadLetter : outcome.deadLetters()) {
                    producer.send(new ProducerRecord<byte[], byte[]>(
                            parseErrorsTopic,
                            (Integer) null,
                            (byte[]) null,
                            errorSerializer.serialize(parseErrorsTopic, deadLetter)));
                    dead++;
                }
                if (requestBatch.future() > 0) {
                    future += requestBatch.future();
                    futureWarning.add(requestBatch.future(), outcome.maxAheadMs());
                }
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
            // Counted once committed: an aborted transaction's records are published again, and counted then.
            requests += parsed;
            deadLetters += dead;
            ServiceMetrics.REQUESTS_PARSED.inc(parsed);
            ServiceMetrics.DEAD_LETTERS.inc(dead);
            ServiceMetrics.FUTURE_REQUESTS.inc(future);
            bySource.forEach((source, counts) -> {
                ServiceMetrics.SOURCE_REQUESTS.labelValues(source).inc(counts[0]);
                ServiceMetrics.SOURCE_DEAD_LETTERS.labelValues(source).inc(counts[1]);
            });
            deadLetterReport.add(lines, chunkDeadLetters); // after the commit, as the counts above
        }
    }

    /**
     * Passes a control record on to every partition of {@code requests}, saying which raw-lines partition it came
     * from, so a downstream task can wait until it has the marker of every upstream partition.
     */
    private void forwardControl(
            Producer<byte[], byte[]> producer, ConsumerRecord<byte[], byte[]> record, Control control, int partitions) {
        if (control.kind() == Control.Kind.UNKNOWN) {
            log.debug("Passed over a control record of an unknown kind from {}-{}", record.topic(), record.partition());
            return;
        }
        int rawPartitions = producer.partitionsFor(record.topic()).size();
        Control forwarded = control.from(new PartitionOf(record.partition(), rawPartitions));
        for (int p = 0; p < partitions; p++) {
            ProducerRecord<byte[], byte[]> marker = forwarded.toRecord(requestsTopic, p);
            marker.headers().add(ChunkHeaders.PARTITION, new PartitionOf(p, partitions).bytes());
            producer.send(marker);
        }
        if (control.kind() == Control.Kind.IDLE) {
            log.debug("Forwarded {} from {}-{}", control.kind(), record.topic(), record.partition());
        } else {
            log.info(
                    "Forwarded {} of source '{}' from {}-{}",
                    control.kind(),
                    control.source(),
                    record.topic(),
                    record.partition());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> partitions = batch.partitions();
        for (TopicPartition tp : partitions) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
            offsets.put(
                    tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        return offsets;
    }

    public long requests() {
        return requests;
    }

    public long deadLetters() {
        return deadLetters;
    }

    /** The first line reported as not a request (file, line, text, reason, hint), or null. */
    public String firstDeadLetterReport() {
        return deadLetterReport.firstReport();
    }
}
