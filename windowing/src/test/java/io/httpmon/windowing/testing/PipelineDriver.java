package io.httpmon.windowing.testing;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Control;
import io.httpmon.common.PartitionOf;
import io.httpmon.common.Topic;
import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A stats or alert topology under Kafka's {@link TopologyTestDriver}, fed as the parser feeds it: batches of
 * requests on {@code requests} (timestamp the newest request's), idle heartbeats and the end-of-input marker. Shared
 * by the Streams services' tests (windowing's test-jar).
 */
public final class PipelineDriver implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final String prefix;
    private final TestInputTopic<String, RequestBatch> requests;

    /** {@code topology}, whose topics have {@code prefix}, its state in {@code stateDir}, the wall clock at {@code wallClock}. */
    public PipelineDriver(Topology topology, String prefix, Path stateDir, Instant wallClock) {
        this(topology, prefix, config(stateDir), wallClock);
    }

    /** The same with the given Streams settings (e.g. the production ones, {@code StreamsRunner.config}). */
    public PipelineDriver(Topology topology, String prefix, Properties config, Instant wallClock) {
        this.driver = new TopologyTestDriver(topology, config, wallClock);
        this.prefix = prefix;
        this.requests = driver.createInputTopic(
                Topics.REQUESTS.name(prefix),
                Serdes.String().serializer(),
                Topics.REQUESTS.valueSerde().serializer());
    }

    /** The settings every test needs: an application id, a broker address never dialled, the state directory. */
    public static Properties config(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pipeline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /** The requests as one batch. */
    public void send(HttpRequest... batch) {
        send(List.of(batch));
    }

    /** The requests as one batch, read by the reader when the first of them was logged (as {@link RequestBatch#of}). */
    public void send(List<HttpRequest> batch) {
        send(new RequestBatch(batch.get(0).timestamp(), 0, batch));
    }

    public void send(RequestBatch batch) {
        requests.pipeInput(batch.size() == 0 ? "empty" : batch.requests().get(0).host(), batch, batch.newestTime());
    }

    /** The requests as one batch from reader (source) {@code source}, read at {@code readAt}. */
    public void send(String source, Instant readAt, List<HttpRequest> batch) {
        RequestBatch requestBatch = new RequestBatch(readAt.toEpochMilli(), 0, batch);
        RecordHeaders headers = new RecordHeaders();
        headers.add(ChunkHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>(
                batch.get(0).host(), requestBatch, headers, Instant.ofEpochMilli(requestBatch.newestTime())));
    }

    /** Reader {@code source} starts: its hello, before its first line. */
    public void hello(String source, Instant at) {
        Control hello = Control.hello(at.toEpochMilli()).by(source);
        requests.pipeInput(new TestRecord<>(null, null, hello.headers(), at));
    }

    /** Reader {@code source} reached the end of its file. */
    public void endOfInput(String source, Instant at) {
        Control end = Control.endOfInput(at.toEpochMilli()).by(source);
        requests.pipeInput(new TestRecord<>(null, null, end.headers(), at));
    }

    /** Upstream partition {@code partition} of {@code partitions} says the log is idle as of {@code readerClock}. */
    public void idle(Instant readerClock, int partition, int partitions) {
        Control idle = Control.idle(readerClock.toEpochMilli()).from(new PartitionOf(partition, partitions));
        requests.pipeInput(new TestRecord<>(null, null, idle.headers(), readerClock));
    }

    /** An idle heartbeat with no partition said (from the only one). */
    public void idle(Instant readerClock) {
        requests.pipeInput(new TestRecord<>(
                null, null, Control.idle(readerClock.toEpochMilli()).headers(), readerClock));
    }

    /** The end-of-input marker (replay: the reader reached the end of the file). */
    public void endOfInput(Instant at) {
        requests.pipeInput(new TestRecord<>(
                null, null, Control.endOfInput(at.toEpochMilli()).headers(), at));
    }

    /** What the topology wrote to {@code topic}. */
    public <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(prefix),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Raw input on {@code requests}, as a foreign producer might write it. */
    public TestInputTopic<String, byte[]> rawRequests() {
        return driver.createInputTopic(
                Topics.REQUESTS.name(prefix),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
    }

    public void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** The driver itself, for what this class does not say (store contents, changelog topics). */
    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
