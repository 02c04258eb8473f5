package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.SharedBroker;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.streams.StreamsRunner;
import io.httpmon.windowing.Durability;
import io.httpmon.windowing.ReplayStateLost;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's stream state has no changelogs ({@link Durability#THROWAWAY}): a task that starts again after it counted
 * requests must fail the run, not go on with part of its counts. Here a real Kafka Streams client on a real broker
 * gets a second stream thread once its tasks have counted: the tasks are shared out again, those that move start
 * again on the new thread, and the run fails with the reason.
 */
@ExtendWith(SharedBroker.class)
class ReplayTaskRestartIT {

    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void aTaskOfAReplayStartedAgainAfterItCountedFailsTheReplaySayingWhy() throws Exception {
        String prefix = SharedBroker.uniquePrefix("replay-restart");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 2);
        assertTrue(TopicAdmin.ensureTopics(kafka, List.of(Topics.REQUESTS, Topics.STATS), new StopSignal()));
        // 40 s of requests on both partitions: every stage-one task counts, and windows close for the merging task.
        try (KafkaProducer<String, RequestBatch> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedBroker.bootstrapServers()),
                new StringSerializer(),
                Topics.REQUESTS.valueSerde().serializer())) {
            for (int s = 0; s < 40; s++) {
                for (int h = 0; h < 4; h++) {
                    String host = "10.0.0." + h;
                    List<HttpRequest> batch = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        batch.add(TestRequest.at(T0.plusSeconds(s).toEpochMilli() + i)
                                .host(host)
                                .get("/a/" + i)
                                .status(200)
                                .build());
                    }
                    RequestBatch requests = new RequestBatch(T0.plusSeconds(s).toEpochMilli(), 0, batch);
                    producer.send(new ProducerRecord<>(
                                    Topics.REQUESTS.name(prefix), h % 2, requests.newestTime(), host, requests))
                            .get();
                }
            }
        }
        StatsSettings settings = new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1));
        String application = prefix + "stats";
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaStreams streams = new KafkaStreams(
                        StatsTopology.build(prefix, settings, Durability.THROWAWAY),
                        StreamsRunner.config(kafka, application, stateDir));
                Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (committed(admin, application) < 2 && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(
                    committed(admin, application) >= 2,
                    "both partitions' requests counted and committed; Streams is " + streams.state() + ", failure: "
                            + failure.get() + ", offsets "
                            + admin.listConsumerGroupOffsets(application)
                                    .partitionsToOffsetAndMetadata()
                                    .get() + ", threads " + streams.metadataForLocalThreads());
            streams.addStreamThread(); // its tasks are shared out again over two threads
            while (failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        Throwable e = failure.get();
        assertNotNull(e, "a task started again after it counted, and nothing failed");
        ReplayStateLost lost = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReplayStateLost r) {
                lost = r;
            }
        }
        assertNotNull(lost, "the failure says the replay lost its state: " + e);
        assertTrue(
                lost.getMessage().endsWith("its counts would be incomplete. Run the replay again"), lost.getMessage());
        assertTrue(lost.getMessage().startsWith("stats: Kafka Streams started task "), lost.getMessage());
    }

    /** How many partitions of {@code requests} the application has committed offsets on, beyond their start. */
    private static long committed(Admin admin, String application) throws Exception {
        return admin.listConsumerGroupOffsets(application).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e ->
                        e.getKey().topic().endsWith("requests") && e.getValue().offset() > 0)
                .count();
    }
}
