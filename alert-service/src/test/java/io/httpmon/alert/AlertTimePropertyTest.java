package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Times;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.testing.TestRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random traffic with quiet spans from a second to years: the transitions equal those of a second-by-second
 * evaluation of the rules (an oracle written here, apart from the service), and the work (store writes) follows the
 * requests, not the length of the quiet.
 */
class AlertTimePropertyTest {

    private static final List<AlertRule> RULES = List.of(
            new AlertRule("fast", 3, 2),
            new AlertRule("slow", 0.5, 60),
            new AlertRule("day", 0.001, 86_400),
            new AlertRule("low", AlertRule.Kind.LOW_TRAFFIC, 2, 5, null, null, 0, 3, 3.0, null, null),
            new AlertRule("errors", AlertRule.Kind.ERROR_RATIO, 0.3, 10, null, null, 5, 2, 0.2, null, null),
            new AlertRule("api5xx", AlertRule.Kind.STATUS_RATE, 1, 3, "/api", List.of("5xx"), 0, 0, 0.5, null, null),
            // Every request is client h's: its alert follows h's hits per second.
            new AlertRule("client", AlertRule.Kind.CLIENT_RATE, 2, 4, null, null, 0, 1, 1.0, null, null, null, 3));

    /** Of a second's requests, every third fails (500 on /api); the others are 200s on /. */
    private static long failing(int requests) {
        return requests / 3;
    }

    @TempDir
    Path stateDir;

    /** Per-second counts (second -> requests), in bursts separated by gaps of any length. */
    private static TreeMap<Long, Integer> randomTraffic(Random random) {
        TreeMap<Long, Integer> counts = new TreeMap<>();
        long second = Instant.parse("1971-01-01T00:00:00Z").getEpochSecond() + random.nextInt(1000);
        long[] gaps = {1, 3, 59, 61, 3_600, 86_399, 86_401, 365L * 86_400, 20L * 365 * 86_400};
        int bursts = 1 + random.nextInt(5);
        for (int b = 0; b < bursts; b++) {
            int length = 1 + random.nextInt(30);
            second += random.nextInt(3); // a few quiet seconds inside a burst too
            for (int i = 0; i < length; i++) {
                counts.put(second++, 1 + random.nextInt(7));
            }
            second += gaps[random.nextInt(gaps.length)];
        }
        return counts;
    }

    /**
     * Every second from the first to the last with traffic, evaluated in turn as the rules' definitions say. Long
     * quiet is skipped only where nothing can change: once a rule's window has held no request for its {@code for}
     * and then some.
     */
    private static List<String> oracle(TreeMap<Long, Integer> counts, AlertRule rule) {
        List<String> out = new ArrayList<>();
        boolean firing = false;
        long pendingSince = -1;
        long first = counts.firstKey();
        long last = counts.lastKey();
        int w = rule.windowSeconds();
        for (long s = first; s <= last; s++) {
            Long previous = counts.floorKey(s);
            if (s > previous + w + rule.forSeconds() + 3) {
                s = counts.ceilingKey(s) - 1; // the window is empty and the verdict settled: nothing changes
                continue;
            }
            long counted = 0;
            long total = 0;
            // The seconds with traffic in the window (s - w, s].
            for (var second : counts.subMap(s - w + 1, true, s, true).entrySet()) {
                int n = second.getValue();
                long failed = failing(n);
                switch (rule.kind()) {
                    case HIGH_TRAFFIC, LOW_TRAFFIC, CLIENT_RATE -> counted += n;
                    case ERROR_RATIO -> {
                        counted += failed;
                        total += n;
                    }
                    case STATUS_RATE -> counted += failed; // the failing ones are the /api ones
                }
            }
            Double value;
            if (rule.kind() == AlertRule.Kind.ERROR_RATIO) {
                value = total == 0 || total < rule.minHits() ? null : (double) counted / total;
            } else if (rule.kind() == AlertRule.Kind.LOW_TRAFFIC && s - first + 1 < w) {
                value = null;
            } else {
                value = (double) counted / w;
            }
            if (value == null) {
                continue;
            }
            boolean low = rule.kind() == AlertRule.Kind.LOW_TRAFFIC;
            double recover = rule.recover() != null ? rule.recover() : rule.threshold();
            if (!firing) {
                if (low ? value < rule.threshold() : value >= rule.threshold()) {
                    pendingSince = pendingSince < 0 ? s : pendingSince;
                    if (s - pendingSince >= rule.forSeconds()) {
                        firing = true;
                        pendingSince = -1;
                        out.add(rule.name() + " FIRING " + Times.iso(s * 1000));
                    }
                } else {
                    pendingSince = -1;
                }
            } else if (low ? value >= recover : value < recover) {
                firing = false;
                out.add(rule.name() + " RESOLVED " + Times.iso(s * 1000));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void transitionsAreThoseOfASecondBySecondEvaluationAtACostThatFollowsTheRequests(long seed) {
        TreeMap<Long, Integer> counts = randomTraffic(new Random(seed));
        int requests = counts.values().stream().mapToInt(Integer::intValue).sum();
        Instant wallClock = Instant.parse("2026-06-01T00:00:00Z");
        try (AlertPipeline pipeline = new AlertPipeline(stateDir, Instant.EPOCH, wallClock, RULES, RULES)) {
            // One batch per second with traffic, as chunks of a log: each request at its own time.
            for (Map.Entry<Long, Integer> second : counts.entrySet()) {
                List<HttpRequest> batch = new ArrayList<>();
                for (int i = 0; i < second.getValue(); i++) {
                    boolean fails = i < failing(second.getValue());
                    batch.add(TestRequest.at(second.getKey() * 1000 + i)
                            .host("h")
                            .get(fails ? "/api/x" : "/")
                            .status(fails ? 500 : 200)
                            .build());
                }
                pipeline.driver.send(new RequestBatch(second.getKey() * 1000, 0, batch));
            }
            pipeline.driver.endOfInput(wallClock);

            List<String> got = new ArrayList<>();
            for (AlertEvent e : pipeline.events()) {
                got.add(e.alert() + " " + e.state() + " " + e.at());
            }
            for (AlertRule rule : RULES) {
                assertEquals(
                        oracle(counts, rule),
                        got.stream()
                                .filter(l -> l.startsWith(rule.name() + " "))
                                .toList(),
                        "seed " + seed + ", rule " + rule.name());
            }
            long storeWrites = 0;
            for (String topic : pipeline.driver.driver().producedTopicNames()) {
                if (topic.endsWith("-changelog")) {
                    storeWrites += pipeline.driver
                            .driver()
                            .createOutputTopic(
                                    topic,
                                    Serdes.ByteArray().deserializer(),
                                    Serdes.ByteArray().deserializer())
                            .getQueueSize();
                }
            }
            assertTrue(
                    storeWrites <= 20L * (requests + counts.size()),
                    "seed " + seed + ": " + storeWrites + " store writes for " + requests + " requests in "
                            + counts.size() + " seconds with traffic");
        }
    }
}
