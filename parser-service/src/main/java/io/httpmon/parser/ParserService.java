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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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

    /** Parse threads of an instance, at most one per core. */
    static final int PARSE_THREADS = 2;

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
    /** One per parse thread: a reader keeps each file's state for one thread. */
    private final LogReader[] readers;

    private final DeadLetterReport deadLetterReport;
    /**
     * Read the polled lines while the poll's thread sends and commits the batch before them, each a slice of the
     * batch with a reader of its own. Made per run.
     */
    private ExecutorService parseThreads;
    /** The batch last handed to the parse threads (see {@link #parse(ConsumerRecords, int)}). */
    private List<Future<List<Parsed>>> inFlight = List.of();

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
        // Two parse threads: the chunks of a batch are independent, and one thread reads ~60% of what the rest of a
        // parser (its Kafka clients and the broker's work for it) can carry on two cores (docs/performance.md).
        ConcurrentHashMap<String, String> announced = new ConcurrentHashMap<>();
        this.readers = new LogReader
                [Math.max(1, Math.min(PARSE_THREADS, Runtime.getRuntime().availableProcessors()))];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new LogReader(LogFormats.choose(format, clients), announced);
        }
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
        // Its own formats for the hints: the parse threads use theirs (their scratch state is one thread's).
        this.deadLetterReport = new DeadLetterReport(
                log,
                parseErrorsTopic,
                new LogReader(LogFormats.choose(format, clients)),
                10_000,
                System::currentTimeMillis);
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
        AtomicInteger threads = new AtomicInteger();
        parseThreads = Executors.newFixedThreadPool(readers.length, r -> {
            Thread t = new Thread(r, "parser-" + instanceId + "-parse-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (ConnectionWatch watch = ConnectionWatch.start("parser " + instanceId, kafka)) {
            consume(common, watch, stop);
        } finally {
            parseThreads.shutdownNow();
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
                Set<TopicPartition> revoked = new HashSet<>();
                consumer.subscribe(List.of(rawLinesTopic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        revoked.addAll(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        revoked.addAll(partitions);
                    }
                });
                log.info("Parser {} consuming {} in group {}", instanceId, rawLinesTopic, groupId(kafka.topicPrefix()));
                consumeLoop(consumer, producer, revoked, stop);
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

    /**
     * A polled record as the parse thread leaves it: the requests record to send (null: none), and what is counted
     * of it; not its requests, which would otherwise stay on the heap until the whole batch is sent (young
     * collections copying them cost more than reading them: 0.4 s of pauses a second, measured).
     */
    private record Parsed(
            ConsumerRecord<byte[], byte[]> record,
            Control control,
            byte[] value,
            RecordHeaders headers,
            long newestTime,
            int requests,
            int future,
            long maxAheadMs,
            List<ParseError> deadLetters) {}

    /**
     * Hands a polled batch to the parse threads, a slice of its records each (the slices in the batch's order); the
     * results are joined by {@link #await}.
     */
    private List<Future<List<Parsed>>> parse(ConsumerRecords<byte[], byte[]> batch, int requestPartitions) {
        // A reader is one thread's: a batch left being read by a loop that ended (Kafka failed, the loop starts
        // again) is let finish before the readers get the next one. Done at once otherwise (it was awaited).
        for (Future<List<Parsed>> part : inFlight) {
            try {
                part.get();
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // that batch is abandoned: read again from the committed offsets
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch.count());
        batch.forEach(records::add);
        int slices = Math.min(readers.length, records.size());
        List<Future<List<Parsed>>> parts = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            List<ConsumerRecord<byte[], byte[]>> slice =
                    records.subList(records.size() * i / slices, records.size() * (i + 1) / slices);
            LogReader reader = readers[i];
            parts.add(parseThreads.submit(() -> parse(slice, reader, requestPartitions)));
        }
        inFlight = parts;
        return parts;
    }

    /**
     * A parse thread's slice of a polled batch, in the batch's order: each chunk's lines read and its requests
     * written as one {@code requests} record (control records are passed through).
     */
    private List<Parsed> parse(List<ConsumerRecord<byte[], byte[]>> records, LogReader reader, int requestPartitions) {
        List<Parsed> parsed = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RawLineParser.Outcome outcome = RawLineParser.handle(record, maxFutureMs, reader);
            if (outcome.control() != null) {
                parsed.add(new Parsed(record, outcome.control(), null, null, 0, 0, 0, 0, List.of()));
                continue;
            }
            RequestBatch requestBatch = outcome.batch();
            if (requestBatch.requests().isEmpty() && requestBatch.future() == 0 && requestBatch.deadLetters() == 0) {
                parsed.add(new Parsed(record, null, null, null, 0, 0, 0, 0, outcome.deadLetters()));
                continue;
            }
            // Same partition number as the chunk: requests stay balanced and replay like live. The future lines
            // are counted by the statistics in the window the batch arrives in.
            int partition = record.partition() % requestPartitions;
            RecordHeaders headers = new RecordHeaders();
            headers.add(ChunkHeaders.PARTITION, new PartitionOf(partition, requestPartitions).bytes());
            Header source = record.headers().lastHeader(ChunkHeaders.SOURCE);
            if (source != null) {
                headers.add(source);
            }
            byte[] value = batchSerializer.serialize(requestsTopic, headers, requestBatch); // + the times
            parsed.add(new Parsed(
                    record,
                    null,
                    value,
                    headers,
                    requestBatch.newestTime(),
                    requestBatch.requests().size(),
                    requestBatch.future(),
                    outcome.maxAheadMs(),
                    outcome.deadLetters()));
        }
        return parsed;
    }

    /**
     * Each polled batch is one transaction: its records sent, its offsets added, committed. Once a batch is read, the
     * batch after it is polled (without waiting) and handed to the parse thread before this one is sent, so the parse
     * thread reads the next lines while this thread sends, adds the offsets and commits. A rebalance in that poll
     * takes back partitions whose lines are read but not committed: their part of the batch is dropped (the
     * partitions' next owner reads them from the committed offsets), the rest is committed under the generation the
     * poll left.
     */
    private void consumeLoop(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            Set<TopicPartition> revoked,
            StopSignal stop) {
        int requestPartitions = producer.partitionsFor(requestsTopic).size();
        ConsumerRecords<byte[], byte[]> batch = null;
        List<Future<List<Parsed>>> parsing = null;
        while (!stop.isStopped()) {
            if (parsing == null) {
                batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    continue;
                }
                ConsumerRecords<byte[], byte[]> polled = batch;
                parsing = parse(polled, requestPartitions);
            }
            List<Parsed> parsed = await(parsing);
            ConsumerRecords<byte[], byte[]> current = batch;
            parsing = null;
            revoked.clear();
            boolean stopping = false;
            try {
                ConsumerRecords<byte[], byte[]> next =
                        consumer.poll(Duration.ZERO); // what has arrived: a live log's next lines wait for no one
                if (!next.isEmpty()) {
                    batch = next;
                    parsing = parse(next, requestPartitions);
                }
            } catch (WakeupException e) {
                stopping = true; // this batch is read: commit it, then stop
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(current);
            offsets.keySet().removeAll(revoked);
            if (offsets.isEmpty()) {
                if (stopping) {
                    throw new WakeupException();
                }
                continue; // every partition of the batch moved to another instance, which reads it again
            }
            producer.beginTransaction();
            long lines = 0;
            List<ParseError> chunkDeadLetters = new ArrayList<>();
            long requestsSent = 0;
            long dead = 0;
            long future = 0;
            Map<String, long[]> bySource = new HashMap<>(); // requests, dead letters
            for (Parsed p : parsed) {
                if (!revoked.isEmpty()
                        && revoked.contains(new TopicPartition(
                                p.record().topic(), p.record().partition()))) {
                    continue;
                }
                if (p.control() != null) {
                    forwardControl(producer, p.record(), p.control(), requestPartitions);
                    continue;
                }
                if (p.value() != null) {
                    producer.send(new ProducerRecord<>(
                            requestsTopic,
                            p.record().partition() % requestPartitions,
                            p.newestTime(),
                            null,
                            p.value(),
                            p.headers()));
                    requestsSent += p.requests();
                }
                long[] sourceCounts =
                        bySource.computeIfAbsent(ChunkHeaders.source(p.record().headers()), s -> new long[2]);
                sourceCounts[0] += p.requests();
                sourceCounts[1] += p.deadLetters().size();
                lines += p.requests() + p.deadLetters().size();
                chunkDeadLetters.addAll(p.deadLetters());
                for (ParseError deadLetter : p.deadLetters()) {
                    producer.send(new ProducerRecord<byte[], byte[]>(
                            parseErrorsTopic,
                            (Integer) null,
                            (byte[]) null,
                            errorSerializer.serialize(parseErrorsTopic, deadLetter)));
                    dead++;
                }
                if (p.future() > 0) {
                    future += p.future();
                    futureWarning.add(p.future(), p.maxAheadMs());
                }
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            // Counted once committed: an aborted transaction's records are published again, and counted then.
            requests += requestsSent;
            deadLetters += dead;
            ServiceMetrics.REQUESTS_PARSED.inc(requestsSent);
            ServiceMetrics.DEAD_LETTERS.inc(dead);
            ServiceMetrics.FUTURE_REQUESTS.inc(future);
            bySource.forEach((source, counts) -> {
                ServiceMetrics.SOURCE_REQUESTS.labelValues(source).inc(counts[0]);
                ServiceMetrics.SOURCE_DEAD_LETTERS.labelValues(source).inc(counts[1]);
            });
            deadLetterReport.add(lines, chunkDeadLetters); // after the commit, as the counts above
            if (stopping) {
                throw new WakeupException();
            }
        }
    }

    /**
     * The parse threads' results, joined in the batch's order; a failure is this thread's (a bug in a format: the
     * service stops with it).
     */
    private static List<Parsed> await(List<Future<List<Parsed>>> parts) {
        List<Parsed> parsed = new ArrayList<>();
        for (Future<List<Parsed>> part : parts) {
            try {
                parsed.addAll(part.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return parsed;
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
