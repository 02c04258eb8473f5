package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class ConnectionWatchTest {

    /**
     * Feeds one observation per second, a response with every look that has connections; returns what was said,
     * with the second it was said at.
     */
    private static List<String> run(double... connectionsPerSecond) {
        ConnectionWatch watch = new ConnectionWatch("parser 1", "127.0.0.1:9092");
        List<String> said = new ArrayList<>();
        double responses = 0;
        for (int s = 0; s < connectionsPerSecond.length; s++) {
            responses += connectionsPerSecond[s] > 0 ? 1 : 0;
            String line = watch.observe(connectionsPerSecond[s], responses, s * 1000L);
            if (line != null) {
                said.add(s + ": " + line);
            }
        }
        return said;
    }

    @Test
    void anOutageIsOneLineWhenItStartsAndOneWhenItEnds() {
        assertEquals(
                List.of(
                        "5: parser 1: lost the connection to Kafka at 127.0.0.1:9092; waiting for it (retrying; nothing is lost)",
                        "18: parser 1: connected to Kafka at 127.0.0.1:9092 again after 15 s; carrying on where it stopped"),
                run(2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2));
    }

    @Test
    void aMomentWithoutConnectionsIsNotAnOutage() {
        // A client closes one connection and opens the next one; an idle connection is recycled.
        assertEquals(List.of(), run(1, 0, 0, 1, 0, 1, 0, 0, 1));
    }

    @Test
    void startingUpIsNotAnOutage() {
        // Before the first connection the services' start-up says what they wait for.
        assertEquals(List.of(), run(0, 0, 0, 0, 0, 0, 0, 0, 1, 1));
    }

    @Test
    void aBrokerGoneWhileTheServiceStartsIsAnOutageAfterTenSecondsWithoutAConnection() {
        assertEquals(
                List.of(
                        "10: parser 1: lost the connection to Kafka at 127.0.0.1:9092; waiting for it (retrying; nothing is lost)",
                        "14: parser 1: connected to Kafka at 127.0.0.1:9092 again after 13 s; carrying on where it stopped"),
                run(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1));
    }

    @Test
    void theStartUpGraceCountsFromTheStartNotFromTheFirstLook() {
        // A Kafka Streams client took 4 s to build, the broker went away meanwhile: 10 s after the start it is said.
        ConnectionWatch watch = new ConnectionWatch("stats", "127.0.0.1:9092");
        watch.startedAt(0);
        List<String> said = new ArrayList<>();
        for (int s = 4; s <= 12; s++) {
            String line = watch.observe(0, 0, s * 1000L);
            if (line != null) {
                said.add(s + ": " + line);
            }
        }
        assertEquals(
                List.of("10: stats: lost the connection to Kafka at 127.0.0.1:9092; waiting for it (retrying; "
                        + "nothing is lost)"),
                said);
    }

    /** Feeds (connections, responses so far) once per second. */
    private static List<String> runWithResponses(double[][] looks) {
        ConnectionWatch watch = new ConnectionWatch("stats", "127.0.0.1:9092");
        List<String> said = new ArrayList<>();
        for (int s = 0; s < looks.length; s++) {
            String line = watch.observe(looks[s][0], looks[s][1], s * 1000L);
            if (line != null) {
                said.add(s + ": " + line.substring(0, line.indexOf(" at ")));
            }
        }
        return said;
    }

    @Test
    void clientsRetryingABrokerThatIsDownShowConnectionsNowAndThenButNoResponse() {
        // Seen in FaultSuiteIT: a Kafka Streams client reconnecting to a stopped broker showed a connection at
        // every other look; counting connections alone, the outage went unsaid.
        assertEquals(
                List.of("5: stats: lost the connection to Kafka", "14: stats: connected to Kafka"),
                runWithResponses(new double[][] {
                    {6, 10}, {6, 20}, {0, 20}, {1, 20}, {0, 20}, {1, 20}, {0, 20}, {1, 20}, {0, 20}, {2, 20}, {0, 20},
                    {1, 20}, {0, 20}, {3, 25}, {6, 40}, {6, 50}
                }));
    }

    @Test
    void anIdleClientWithASteadyConnectionAndRareResponsesIsNotAnOutage() {
        // A consumer without partitions hears from the broker only at its heartbeats, every 3 s.
        assertEquals(List.of(), runWithResponses(new double[][] {
            {1, 1}, {1, 1}, {1, 1}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 3}, {1, 3}, {1, 3}, {1, 3}
        }));
    }

    @Test
    void outagesAreCounted() {
        ConnectionWatch watch = new ConnectionWatch("parser 1", "127.0.0.1:9092");
        double[] looks = {1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1};
        double responses = 0;
        for (int s = 0; s < looks.length; s++) {
            responses += looks[s] > 0 ? 1 : 0;
            watch.observe(looks[s], responses, s * 1000L);
        }
        assertEquals(2, watch.outages());
    }

    @Test
    void twoOutagesAreTwoPairsOfLines() {
        List<String> said = run(1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1);
        assertEquals(4, said.size(), said::toString);
        assertEquals("4: ", said.get(0).substring(0, 3));
        assertEquals("6: ", said.get(1).substring(0, 3));
        assertEquals("10: ", said.get(2).substring(0, 4));
        assertEquals("13: ", said.get(3).substring(0, 4));
    }

    @Test
    void aConnectionSeenForAMomentDuringAnOutageIsNotItsEnd() {
        // Seen in BrokerOutageIT: the parser re-created its clients mid-outage and showed one connection once.
        assertEquals(
                List.of(
                        "4: parser 1: lost the connection to Kafka at 127.0.0.1:9092; waiting for it (retrying; nothing is lost)",
                        "10: parser 1: connected to Kafka at 127.0.0.1:9092 again after 8 s; carrying on where it stopped"),
                run(2, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1));
    }

    @Test
    void connectionsCountOnlyForClientsWhoseNetworkLayerIsPolled() {
        try (Metrics metrics = new Metrics()) {
            long[] producerSelects = {5};
            long[] consumerSelects = {9};
            metrics.addMetric(
                    metrics.metricName("connection-count", "producer-metrics", Map.of("client-id", "p")),
                    (Gauge<Integer>) (c, t) -> 2);
            metrics.addMetric(
                    metrics.metricName("select-total", "producer-metrics", Map.of("client-id", "p")),
                    (Gauge<Long>) (c, t) -> producerSelects[0]);
            metrics.addMetric(
                    metrics.metricName("connection-count", "consumer-metrics", Map.of("client-id", "c")),
                    (Gauge<Integer>) (c, t) -> 3);
            metrics.addMetric(
                    metrics.metricName("select-total", "consumer-metrics", Map.of("client-id", "c")),
                    (Gauge<Long>) (c, t) -> consumerSelects[0]);
            metrics.addMetric(
                    metrics.metricName("request-total", "consumer-metrics", Map.of("client-id", "c")),
                    (Gauge<Integer>) (c, t) -> 7);
            ConnectionWatch.LiveConnections live = new ConnectionWatch.LiveConnections();
            assertEquals(5.0, live.read(metrics.metrics()), "first reading: every client's connections");
            producerSelects[0]++;
            consumerSelects[0]++;
            assertEquals(5.0, live.read(metrics.metrics()), "both clients polled since");
            // The consumer's thread is busy elsewhere (a stream thread creating topics): its 3 connections may be
            // long gone on the broker's side without it knowing.
            producerSelects[0]++;
            assertEquals(2.0, live.read(metrics.metrics()), "only the polled producer's");
        }
    }

    @Test
    void aClientThatNobodyPollsKeepsShowingConnectionsDuringAnOutageWhichIsStillSaid() {
        // What the broker test saw: 3 connections of a consumer whose thread waited, no response for 13 s.
        ConnectionWatch watch = new ConnectionWatch("stats", "127.0.0.1:9092");
        ConnectionWatch.LiveConnections live = new ConnectionWatch.LiveConnections();
        List<String> said = new ArrayList<>();
        try (Metrics metrics = new Metrics()) {
            metrics.addMetric(
                    metrics.metricName("connection-count", "consumer-metrics", Map.of("client-id", "c")),
                    (Gauge<Integer>) (c, t) -> 3);
            metrics.addMetric(
                    metrics.metricName("select-total", "consumer-metrics", Map.of("client-id", "c")),
                    (Gauge<Long>) (c, t) -> 40L);
            for (int s = 0; s < 14; s++) {
                String line = watch.observe(live.read(metrics.metrics()), 70, 10_000 + s * 1000L);
                if (line != null) {
                    said.add(line);
                }
            }
        }
        assertEquals(
                List.of("stats: lost the connection to Kafka at 127.0.0.1:9092; waiting for it (retrying; "
                        + "nothing is lost)"),
                said);
    }
}
