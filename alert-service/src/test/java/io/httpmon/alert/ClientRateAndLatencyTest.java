package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.AlertRule.Kind;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.testing.TestRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * client_rate and latency rules end to end through alert-service's topology. The expected transitions come from
 * oracles in this test that count the requests they sent, second by second (brute force over the window), not from
 * the evaluation's own state.
 */
class ClientRateAndLatencyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String FLOODER = "203.0.113.9";

    @TempDir
    Path stateDir;

    private AlertPipeline pipeline;
    /** What was sent, per second: for the oracles. */
    private final Map<Long, List<HttpRequest>> sent = new TreeMap<>();

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void start(AlertRule... rules) {
        pipeline = new AlertPipeline(stateDir, T0, T0, List.of(), List.of(rules));
    }

    /** Sends second {@code second}'s requests as one batch, and keeps them for the oracle. */
    private void send(long second, List<HttpRequest> requests) {
        if (!requests.isEmpty()) {
            pipeline.driver.send(requests);
            sent.put(second, requests);
        }
    }

    private static HttpRequest request(long second, int i, String client, String path, long micros) {
        TestRequest r = TestRequest.at(T0.plusSeconds(second).toEpochMilli() + i % 1000)
                .host(client)
                .get(path)
                .status(200);
        return (micros >= 0 ? r.responseTimeUs(micros) : r).build();
    }

    private static AlertRule clientRate(String name, double threshold, int window, int maxAlerts) {
        return new AlertRule(
                name, Kind.CLIENT_RATE, threshold, window, null, null, 0, 0, null, null, null, null, maxAlerts);
    }

    private static AlertRule latency(String name, double thresholdMs, int window, String section, int minHits) {
        return new AlertRule(
                name, Kind.LATENCY, thresholdMs, window, section, null, minHits, 0, null, null, null, 0.99, null);
    }

    private static String at(long second) {
        return T0.plusSeconds(second).toString();
    }

    /** Per client: the seconds its average over the window reaches {@code threshold} and falls back (brute force). */
    private Map<String, List<String>> clientOracle(double threshold, int window, long lastSecond) {
        Map<String, long[]> perSecond = new HashMap<>();
        sent.forEach((second, requests) -> requests.forEach(r ->
                perSecond.computeIfAbsent(r.host(), c -> new long[(int) lastSecond + 1])[second.intValue()]++));
        Map<String, List<String>> transitions = new TreeMap<>();
        perSecond.forEach((client, counts) -> {
            boolean firing = false;
            for (int s = 0; s <= lastSecond; s++) {
                long sum = 0;
                for (int k = Math.max(0, s - window + 1); k <= s; k++) {
                    sum += counts[k];
                }
                boolean over = (double) sum / window >= threshold;
                if (over != firing) {
                    firing = over;
                    transitions
                            .computeIfAbsent(client, c -> new ArrayList<>())
                            .add((over ? "FIRING " : "RESOLVED ") + at(s));
                }
            }
        });
        return transitions;
    }

    /** The transitions so far, "STATE at client", the client's alerts beyond max_alerts as "beyond max_alerts". */
    private List<String> transitions() {
        return pipeline.events().stream()
                .map(e -> e.state() + " " + e.at() + " "
                        + e.labels().getOrDefault(AlertRule.CLIENT_LABEL, "beyond max_alerts"))
                .toList();
    }

    private Map<String, List<String>> clientEvents(List<AlertEvent> events) {
        Map<String, List<String>> transitions = new TreeMap<>();
        for (AlertEvent e : events) {
            String client = e.labels().get(AlertRule.CLIENT_LABEL);
            if (client != null) {
                transitions.computeIfAbsent(client, c -> new ArrayList<>()).add(e.state() + " " + e.at());
            }
        }
        return transitions;
    }

    @Test
    void aThresholdLoweredAtRuntimeFiresForAClientWhoseBurstWasBelowTheOldOneAndIsStillInItsWindow() {
        // Below the threshold, a client is not tracked (its seconds are kept for a restart); lowering the threshold
        // must count it from its whole window, also when it sent nothing since.
        start(clientRate("burst", 50, 10, 10));
        String steady = "198.51.100.7";
        for (long s = 0; s <= 20; s++) {
            List<HttpRequest> requests = new ArrayList<>();
            requests.add(request(s, 0, steady, "/", -1)); // 1/s: never over either threshold
            if (s == 2) {
                for (int i = 1; i <= 30; i++) {
                    requests.add(request(s, i, FLOODER, "/login", -1)); // 3/s over 10 s: under 50, over 2
                }
            }
            send(s, requests);
            if (s == 5) {
                pipeline.rules.apply(List.of(clientRate("burst", 2, 10, 10)));
            }
        }
        pipeline.endOfInput();

        Map<String, List<String>> events = clientEvents(pipeline.events());
        assertEquals(List.of(FLOODER), List.copyOf(events.keySet()), "only the burst's client: " + events);
        List<String> burst = events.get(FLOODER);
        assertEquals(2, burst.size(), burst.toString());
        assertTrue(burst.get(0).startsWith("FIRING "), burst.toString());
        Instant fired = Instant.parse(burst.get(0).substring("FIRING ".length()));
        assertTrue(
                !fired.isBefore(T0.plusSeconds(3)) && fired.isBefore(T0.plusSeconds(12)),
                "fires once the lowered threshold is in force, while its burst is in the window: " + burst);
        assertEquals("RESOLVED " + at(12), burst.get(1), "the burst's second leaves the window at 12 s");
    }

    @Test
    void oneClientFloodingAmongAThousandQuietOnesIsTheOnlyAlertAndItResolves() {
        start(clientRate("flood", 20, 10, 10));
        String[] quiet = new String[1000];
        for (int i = 0; i < quiet.length; i++) {
            quiet[i] = "10.0." + (i / 250) + "." + (i % 250);
        }
        long last = 80;
        for (long s = 0; s <= last; s++) {
            List<HttpRequest> requests = new ArrayList<>();
            // Each quiet client once every 10 s; the flooder 50 a second from 20 s to 49 s.
            for (int i = (int) (s % 10); i < quiet.length; i += 10) {
                requests.add(request(s, i, quiet[i], "/pages/" + i, -1));
            }
            if (s >= 20 && s < 50) {
                for (int i = 0; i < 50; i++) {
                    requests.add(request(s, i, FLOODER, "/login", -1));
                }
            }
            send(s, requests);
        }
        pipeline.endOfInput();
        List<AlertEvent> events = pipeline.events();

        Map<String, List<String>> expected = clientOracle(20, 10, last);
        assertEquals(Map.of(FLOODER, List.of("FIRING " + at(23), "RESOLVED " + at(56))), expected, "the oracle");
        assertEquals(expected, clientEvents(events));
        assertEquals(2, events.size(), "no alert but the flooder's: " + events);
        AlertEvent firing = events.get(0);
        assertEquals(
                Map.of("alertname", "flood", "client", FLOODER),
                firing.labels(),
                "the client is in the alert's labels");
        assertEquals("client_rate", firing.kind());
        assertEquals(20.0, firing.value(), "200 requests over 10 s");
        assertEquals(
                "Client rate alert flood - client 203.0.113.9 = 20/s over 10 s, triggered at " + at(23),
                firing.message());
        assertEquals(
                "Client rate alert flood - client 203.0.113.9 recovered at " + at(56),
                events.get(1).message());
        assertEquals(firing.fingerprint(), events.get(1).fingerprint(), "the same alert in Alertmanager");
    }

    @Test
    void aDistributedFloodOfFiveThousandClientsGivesMaxAlertsAlertsAndOneCountingTheRestAndAllResolve() {
        start(clientRate("ddos", 2, 4, 10));
        int clients = 5000;
        String[] names = new String[clients];
        for (int i = 0; i < clients; i++) {
            names[i] = "198.51." + (i / 200) + "." + (i % 200);
        }
        long last = 14;
        for (long s = 0; s <= last; s++) {
            // One quiet client to the end: seconds are evaluated up to the input's last request.
            List<HttpRequest> requests = new ArrayList<>(List.of(request(s, 0, "192.0.2.1", "/", -1)));
            if (s < 8) {
                for (int i = 0; i < clients; i++) {
                    requests.add(request(s, i, names[i], "/", -1));
                    requests.add(request(s, i + 1, names[i], "/", -1));
                    requests.add(request(s, i + 2, names[i], "/", -1));
                }
            }
            send(s, requests);
        }
        pipeline.endOfInput();
        List<AlertEvent> events = pipeline.events();

        Map<String, List<String>> oracle = clientOracle(2, 4, last);
        oracle.remove("192.0.2.1");
        assertEquals(clients, oracle.size(), "every client floods");
        // The oracle: all breach at 2 s (9 requests over 4 s), all recover at 9 s (6 over 4 s).
        assertTrue(oracle.values().stream().allMatch(t -> t.equals(List.of("FIRING " + at(2), "RESOLVED " + at(9)))));
        List<String> firstTen = Arrays.stream(names).sorted().limit(10).toList();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        firstTen.forEach(c -> expected.put(c, oracle.get(c)));
        assertEquals(expected, clientEvents(events), "ten clients, the first in order, each fires and resolves");

        List<AlertEvent> beyond = events.stream()
                .filter(e -> AlertRule.OVERFLOW_VALUE.equals(e.labels().get(AlertRule.OVERFLOW_LABEL)))
                .toList();
        assertEquals(2, beyond.size(), "one alert for the rest: " + beyond);
        assertEquals(AlertEvent.State.FIRING, beyond.get(0).state());
        assertEquals(at(2), beyond.get(0).at());
        assertEquals(
                clients - 10, beyond.get(0).value(), "the clients over the threshold without an alert of their own");
        assertTrue(
                beyond.get(0).message().contains("4990 more clients"),
                beyond.get(0).message());
        assertEquals(AlertEvent.State.RESOLVED, beyond.get(1).state());
        assertEquals(at(9), beyond.get(1).at());
        assertEquals(22, events.size(), "bounded: 11 alerts, each firing then resolved");
    }

    @Test
    void randomBurstsGiveTheTransitionsOfEveryClientLookedAtEverySecondWithForRecoveryAndMaxAlerts() {
        // Clients come and go (their windows empty and they are forgotten, then return), some stay over the
        // threshold for a while, more than max_alerts at once: the evaluation looks only at what changed, and must
        // decide as a full pass over every client, every second, would.
        for (long seed = 1; seed <= 4; seed++) {
            sent.clear();
            if (pipeline != null) {
                pipeline.close();
            }
            java.util.Random random = new java.util.Random(seed);
            AlertRule rule =
                    new AlertRule("bursts", Kind.CLIENT_RATE, 3, 5, null, null, 0, 2, 2.0, null, null, null, 3);
            pipeline = new AlertPipeline(stateDir.resolve("seed-" + seed), T0, T0, List.of(), List.of(rule));
            String[] clients = new String[40];
            for (int c = 0; c < clients.length; c++) {
                clients[c] = "10.0." + (c % 7) + "." + c;
            }
            boolean[] bursting = new boolean[clients.length];
            long last = 90;
            for (long s = 0; s <= last; s++) {
                List<HttpRequest> requests = new ArrayList<>(List.of(request(s, 0, "192.0.2.1", "/", -1)));
                for (int c = 0; c < clients.length; c++) {
                    if (random.nextInt(10) == 0) {
                        bursting[c] = !bursting[c];
                    }
                    int n = bursting[c] ? 2 + random.nextInt(5) : (random.nextInt(6) == 0 ? 1 : 0);
                    for (int i = 0; i < n; i++) {
                        requests.add(request(s, 1 + c * 10 + i, clients[c], "/", -1));
                    }
                }
                send(s, requests);
            }
            pipeline.endOfInput();
            List<String> lines = transitions();
            List<String> expected = fullPassOracle(3, 5, 2, 2.0, 3, last);
            assertTrue(expected.size() > 10, "the input makes transitions: " + expected);
            assertTrue(expected.stream().anyMatch(l -> l.startsWith("FIRING") && l.endsWith("beyond max_alerts")));
            assertEquals(expected, lines, "seed " + seed);
        }
    }

    /**
     * The client_rate rules' documented decision, every second over every client: firing clients whose average
     * falls below {@code recover} resolve (in client order); then the others at or above the threshold are pending
     * from the first such second and fire after {@code forSeconds} where one of {@code maxAlerts} places is free (in
     * client order), the rest counted in one alert beyond max_alerts; one below the threshold is no longer pending.
     */
    private List<String> fullPassOracle(
            double threshold, int window, int forSeconds, double recover, int maxAlerts, long lastSecond) {
        Map<String, long[]> perSecond = new TreeMap<>();
        sent.forEach((second, requests) -> requests.forEach(r ->
                perSecond.computeIfAbsent(r.host(), c -> new long[(int) lastSecond + 1])[second.intValue()]++));
        Map<String, Long> pendingSince = new HashMap<>();
        java.util.Set<String> firing = new java.util.TreeSet<>();
        boolean beyondFiring = false;
        List<String> lines = new ArrayList<>();
        for (int s = 0; s <= lastSecond; s++) {
            Map<String, Double> value = new TreeMap<>();
            for (var entry : perSecond.entrySet()) {
                long sum = 0;
                for (int k = Math.max(0, s - window + 1); k <= s; k++) {
                    sum += entry.getValue()[k];
                }
                value.put(entry.getKey(), (double) sum / window);
            }
            for (String client : new ArrayList<>(firing)) {
                if (value.get(client) < recover) {
                    firing.remove(client);
                    lines.add("RESOLVED " + at(s) + " " + client);
                }
            }
            int beyond = 0;
            for (var entry : value.entrySet()) {
                String client = entry.getKey();
                if (firing.contains(client)) {
                    continue;
                }
                if (entry.getValue() < threshold) {
                    pendingSince.remove(client);
                    continue;
                }
                pendingSince.putIfAbsent(client, (long) s);
                long since = pendingSince.get(client);
                if (s - since >= forSeconds) {
                    if (firing.size() < maxAlerts) {
                        firing.add(client);
                        pendingSince.remove(client);
                        lines.add("FIRING " + at(s) + " " + client);
                    } else {
                        beyond++;
                    }
                }
            }
            if (beyond > 0 && !beyondFiring) {
                beyondFiring = true;
                lines.add("FIRING " + at(s) + " beyond max_alerts");
            } else if (beyond == 0 && beyondFiring) {
                beyondFiring = false;
                lines.add("RESOLVED " + at(s) + " beyond max_alerts");
            }
        }
        return lines;
    }

    @Test
    void aPlaceFreedByARecoveredClientGoesToTheNextOneStillOverTheThreshold() {
        start(clientRate("one_at_a_time", 5, 2, 1));
        for (long s = 0; s <= 20; s++) {
            List<HttpRequest> requests = new ArrayList<>(List.of(request(s, 0, "quiet.example", "/", -1)));
            for (int i = 0; i < 10; i++) {
                if (s < 6) {
                    requests.add(request(s, i, "a.example", "/", -1));
                }
                if (s < 12) {
                    requests.add(request(s, 100 + i, "b.example", "/", -1));
                }
            }
            send(s, requests);
        }
        pipeline.endOfInput();
        List<String> lines = transitions();
        assertEquals(
                List.of(
                        "FIRING " + at(0) + " a.example",
                        "FIRING " + at(0) + " beyond max_alerts",
                        // a stops after 5 s: its window (6 s, 7 s) is empty at 7 s; b takes the place.
                        "RESOLVED " + at(7) + " a.example",
                        "FIRING " + at(7) + " b.example",
                        "RESOLVED " + at(7) + " beyond max_alerts",
                        "RESOLVED " + at(13) + " b.example"),
                lines);
    }

    /** The p99 in ms over the window ending with each second, from the times sent; transitions at {@code level}. */
    private List<String> latencyOracle(double levelMs, int window, String section, int minHits, long lastSecond) {
        List<String> transitions = new ArrayList<>();
        boolean firing = false;
        for (long s = 0; s <= lastSecond; s++) {
            List<Long> times = new ArrayList<>();
            for (long k = Math.max(0, s - window + 1); k <= s; k++) {
                for (HttpRequest r : sent.getOrDefault(k, List.of())) {
                    if (r.responseTimeUs() != null && (section == null || section.equals(r.section()))) {
                        times.add(r.responseTimeUs());
                    }
                }
            }
            if (times.isEmpty() || times.size() < minHits) {
                continue; // no verdict
            }
            times.sort(null);
            double p99 = times.get((int) Math.ceil(0.99 * times.size()) - 1) / 1000.0;
            boolean over = p99 >= levelMs;
            if (over != firing) {
                firing = over;
                transitions.add((over ? "FIRING " : "RESOLVED ") + at(s));
            }
        }
        return transitions;
    }

    @Test
    void aSlowPhaseOnOneSectionFiresItsLatencyRuleAndNotTheOtherSections() {
        start(latency("api_p99", 500, 10, "/api", 10), latency("pages_p99", 500, 10, "/pages", 10));
        long last = 70;
        for (long s = 0; s <= last; s++) {
            List<HttpRequest> requests = new ArrayList<>();
            boolean slow = s >= 30 && s < 45;
            for (int i = 0; i < 20; i++) {
                // 20 to 59 ms normally; 1.5 to 2.5 s on /api in the slow phase.
                long micros = slow ? 1_500_000 + i * 50_000 : 20_000 + i * 2_000;
                requests.add(request(s, i, "10.1.1." + i, "/api/orders", micros));
                requests.add(request(s, 100 + i, "10.1.2." + i, "/pages/home", 20_000 + i * 2_000));
            }
            send(s, requests);
        }
        pipeline.endOfInput();
        List<AlertEvent> events = pipeline.events();

        List<String> expected = latencyOracle(500, 10, "/api", 10, last);
        assertEquals(List.of("FIRING " + at(30), "RESOLVED " + at(54)), expected, "the oracle");
        assertEquals(
                expected, events.stream().map(e -> e.state() + " " + e.at()).toList(), "only /api's rule: " + events);
        assertTrue(latencyOracle(500, 10, "/pages", 10, last).isEmpty());
        AlertEvent firing = events.get(0);
        assertEquals("api_p99", firing.alert());
        assertEquals("latency", firing.kind());
        // The p99 of 180 fast and 20 slow requests is among the slow ones (1.5 to 2.45 s), to within 2%.
        assertTrue(firing.value() >= 1500 * 0.98 && firing.value() <= 2450 * 1.02, "p99 " + firing.value());
        assertTrue(firing.message().startsWith("Latency alert api_p99 - p99 on /api = "), firing.message());
        assertTrue(firing.message().endsWith(" ms over 10 s, triggered at " + at(30)), firing.message());
    }

    @Test
    void aLatencyRuleGivesNoVerdictOnFewerTimedRequestsThanMinHitsNorOnALogWithoutTimes() {
        start(latency("p99", 500, 10, null, 10));
        for (long s = 0; s <= 30; s++) {
            List<HttpRequest> requests = new ArrayList<>();
            // Untimed requests (a log without response times) every second...
            for (int i = 0; i < 50; i++) {
                requests.add(request(s, i, "10.2.0." + i, "/", -1));
            }
            // ... and one very slow timed request every 2 s: 5 in any window, fewer than min_hits.
            if (s % 2 == 0) {
                requests.add(request(s, 500, "10.2.1.1", "/", 9_000_000));
            }
            send(s, requests);
        }
        pipeline.endOfInput();
        assertEquals(List.of(), latencyOracle(500, 10, null, 10, 30), "the oracle");
        assertEquals(List.of(), pipeline.events());
    }
}
