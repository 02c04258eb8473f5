package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.AlertRule.Kind;
import io.httpmon.common.model.AlertEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kinds of rules, {@code for}, hysteresis, sections, labels, and rules changed while requests flow. */
class AlertRuleKindsTest {

    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");

    @TempDir
    Path stateDir;

    private AlertPipeline pipeline;

    private void start(AlertRule... initial) {
        pipeline = new AlertPipeline(stateDir, T0, T0, List.of(), List.of(initial));
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** {@code count} requests in {@code second} with this status, on this path. */
    private void requests(long second, int count, int status, String path) {
        pipeline.requests(second, count, status, path);
    }

    /** Per second, that many 200s on {@code /}. */
    private void perSecond(int... counts) {
        pipeline.perSecond(counts);
    }

    private void endOfInput() {
        pipeline.endOfInput();
    }

    private List<AlertEvent> events() {
        return pipeline.events();
    }

    private List<String> lines() {
        return events().stream().map(e -> e.alert() + " " + e.message()).toList();
    }

    private static String at(int second) {
        return T0.plusSeconds(second).toString();
    }

    @Test
    void aSignalOscillatingAroundTheThresholdFiresOnceWithHysteresis() {
        AlertRule plain = new AlertRule("plain", 5, 1);
        AlertRule damped = new AlertRule("damped", Kind.HIGH_TRAFFIC, 5, 1, null, null, 0, 0, 2.0, null, null);
        start(plain, damped);
        perSecond(6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 1);
        endOfInput();
        List<String> lines = lines();
        assertEquals(
                List.of(
                        "damped High traffic generated an alert - hits = 6, triggered at " + at(0),
                        "damped High traffic alert recovered at " + at(20)),
                lines.stream().filter(l -> l.startsWith("damped ")).toList());
        assertEquals(20, lines.stream().filter(l -> l.startsWith("plain ")).count(), "without: ten times each way");
    }

    @Test
    void forHoldsTheAlertPendingUntilTheConditionHasLastedThatLong() {
        AlertRule rule = new AlertRule("sustained", Kind.HIGH_TRAFFIC, 5, 1, null, null, 0, 3, null, null, null);
        start(rule);
        // Two seconds above (a blip: no alert), one below, then five above: fires on the fourth of them (3 s held).
        perSecond(9, 9, 1, 9, 9, 9, 9, 9, 1);
        endOfInput();
        assertEquals(
                List.of(
                        "sustained High traffic generated an alert - hits = 9, triggered at " + at(6),
                        "sustained High traffic alert recovered at " + at(8)),
                lines());
    }

    @Test
    void lowTrafficFiresWhenTheSiteGoesQuietOnceAWholeWindowIsSeen() {
        AlertRule rule = new AlertRule("quiet", Kind.LOW_TRAFFIC, 2, 3, null, null, 0, 0, 3.0, null, null);
        start(rule);
        // 1 request a second at the start is low, but there is no verdict before a whole window (3 s) is seen.
        perSecond(1, 1, 5, 5, 5, 1, 0, 0, 0, 0, 3, 4, 3, 3, 3, 3);
        endOfInput();
        assertEquals(
                List.of(
                        // (5 + 5 + 5)/3 = 5 from second 2 on; (5 + 1 + 0)/3 = 2 at 6 (not below 2); 1/3 at 7
                        "quiet Low traffic generated an alert - hits = 0.33, triggered at " + at(7),
                        // recovers at 3/s, not at 2: (0 + 3 + 4)/3 = 2.33 at 11, (3 + 4 + 3)/3 = 3.33 at 12
                        "quiet Low traffic alert recovered at " + at(12)),
                lines());
    }

    @Test
    void lowTrafficFiresDuringAGapWithoutAnyRequest() {
        start(new AlertRule("quiet", Kind.LOW_TRAFFIC, 1, 2, null, null, 0, 0, null, null, null));
        requests(0, 5, 200, "/");
        requests(1, 5, 200, "/");
        requests(86_400, 5, 200, "/"); // a day later
        requests(86_401, 5, 200, "/");
        endOfInput();
        // Fires at 3, when (0 + 0)/2 is a whole window below 1, and not again however long the gap; recovers with the
        // first second of traffic: (0 + 5)/2.
        assertEquals(
                List.of(
                        "quiet Low traffic generated an alert - hits = 0, triggered at " + at(3),
                        "quiet Low traffic alert recovered at " + at(86_400)),
                lines());
    }

    @Test
    void errorRatioCountsTheSharesOfItsSectionWithAMinimumOfRequests() {
        AlertRule rule = new AlertRule(
                "api_errors",
                Kind.ERROR_RATIO,
                0.2,
                2,
                "/api",
                null,
                10,
                0,
                null,
                Map.of("severity", "page"),
                "{value} of {section} failed, above {threshold}, at {time}");
        start(rule);
        // Second 0: 4 of 5 /api requests fail, but 5 requests is below min_hits (10): no verdict.
        requests(0, 1, 200, "/api/users");
        requests(0, 4, 503, "/api/users");
        requests(0, 50, 500, "/static/a.css"); // another section's errors never count
        // Second 1: 10 more /api, 1 failing: 5 of 15 = 33% over the window.
        requests(1, 9, 200, "/api/users");
        requests(1, 1, 502, "/api/orders");
        // Seconds 2, 3: 20 /api a second, none failing: 1 of 30 = 3.3%, then 0.
        requests(2, 20, 200, "/api");
        requests(3, 20, 404, "/api"); // 4xx is not in status (5xx)
        endOfInput();
        List<AlertEvent> events = events();
        assertEquals(
                List.of(
                        "Error ratio alert api_errors - 5xx on /api = 33.33% over 2 s, triggered at " + at(1),
                        "Error ratio alert api_errors recovered at " + at(2)),
                events.stream().map(AlertEvent::message).toList());
        AlertEvent fired = events.get(0);
        assertEquals("error_ratio", fired.kind());
        assertEquals(5.0 / 15, fired.value(), 1e-9);
        assertEquals("firing", fired.status());
        assertEquals(Map.of("alertname", "api_errors", "severity", "page"), fired.labels());
        assertEquals(Map.of("summary", "33.33% of /api failed, above 20%, at " + at(1)), fired.annotations());
        assertEquals(at(1), fired.startsAt());
        assertNull(fired.endsAt());
        AlertEvent resolved = events.get(1);
        assertEquals("resolved", resolved.status());
        assertEquals(at(1), resolved.startsAt());
        assertEquals(at(2), resolved.endsAt());
        assertEquals(fired.fingerprint(), resolved.fingerprint(), "the same alert");
    }

    @Test
    void statusRateCountsHitsPerSecondOfItsClasses() {
        start(new AlertRule("not_found", Kind.STATUS_RATE, 3, 2, null, List.of("4xx"), 0, 0, null, null, null));
        for (int s = 0; s < 4; s++) {
            requests(s, 100, 200, "/");
        }
        requests(1, 7, 404, "/missing");
        requests(2, 1, 403, "/admin");
        endOfInput();
        assertEquals(
                List.of(
                        "not_found Status rate alert not_found - 4xx = 3.5/s over 2 s, triggered at " + at(1),
                        "not_found Status rate alert not_found recovered at " + at(3)),
                lines());
    }

    @Test
    void aHighTrafficRuleOnASectionCountsOnlyIt() {
        start(
                new AlertRule("api", Kind.HIGH_TRAFFIC, 5, 1, "/api", null, 0, 0, null, null, null),
                new AlertRule("all", 5, 1));
        requests(0, 6, 200, "/static/x.png");
        requests(1, 6, 200, "/api/x");
        requests(2, 1, 200, "/api/x");
        endOfInput();
        assertEquals(
                List.of(
                        "all High traffic generated an alert - hits = 6, triggered at " + at(0),
                        "api High traffic on /api generated an alert - hits = 6, triggered at " + at(1),
                        "all High traffic alert recovered at " + at(2),
                        "api High traffic on /api alert recovered at " + at(2)),
                lines());
    }

    @Test
    void aRuleChangedMidStreamTakesEffectFromTheNextSecondEvaluated() {
        start(new AlertRule("r", 10, 1));
        perSecond(6, 6);
        requests(4, 1, 200, "/"); // seconds up to 1 are final now (2 s grace)
        assertEquals(List.of(), lines());
        pipeline.rules.apply(List.of(new AlertRule("r", 5, 1))); // a lower threshold
        requests(5, 6, 200, "/");
        requests(8, 6, 200, "/");
        endOfInput();
        // Seconds 0 and 1 (6 hits) were evaluated with 10; second 5 with 5.
        assertEquals(
                List.of(
                        "r High traffic generated an alert - hits = 6, triggered at " + at(5),
                        "r High traffic alert recovered at " + at(6),
                        "r High traffic generated an alert - hits = 6, triggered at " + at(8)),
                lines());
    }

    @Test
    void aFiringRuleDeletedOrRelabelledResolves() {
        start(new AlertRule("gone", 5, 1), new AlertRule("relabelled", 5, 1));
        for (int s = 0; s < 4; s++) {
            requests(s, 9, 200, "/");
        }
        assertEquals(2, events().size(), "both firing at second 0; second 1 is not final yet (2 s grace)");
        pipeline.rules.delete("gone");
        pipeline.rules.apply(List.of(new AlertRule(
                "relabelled", Kind.HIGH_TRAFFIC, 5, 1, null, null, 0, 0, null, Map.of("team", "web"), null)));
        for (int s = 4; s < 8; s++) {
            requests(s, 9, 200, "/");
        }
        endOfInput();
        List<AlertEvent> events = events();
        // Taken in at second 1, the first evaluated after the change: changes first, then deletions.
        assertEquals(
                List.of(
                        "relabelled High traffic alert recovered at " + at(1) + " (rule changed)",
                        "gone High traffic alert recovered at " + at(1) + " (rule deleted)",
                        "relabelled High traffic generated an alert - hits = 9, triggered at " + at(1)),
                events.stream().map(e -> e.alert() + " " + e.message()).toList());
        assertEquals(Map.of("alertname", "relabelled"), events.get(0).labels());
        assertEquals(
                Map.of("alertname", "relabelled", "team", "web"), events.get(2).labels());
        assertEquals(
                AlertEvent.fingerprint(Map.of("alertname", "relabelled", "team", "web")),
                events.get(2).fingerprint());
    }

    @Test
    void everySecondWithRequestsIsPublishedBySectionAndStatusClass() {
        start(new AlertRule("r", 100, 1));
        requests(0, 3, 200, "/api/users");
        requests(0, 2, 503, "/api/users");
        requests(0, 1, 404, "/static/x.css");
        requests(0, 1, 999, "*"); // no section (not a path), a status beyond 5xx
        requests(2, 4, 301, "/");
        endOfInput();
        var seconds = pipeline.driver.output(Topics.HITS_PER_SECOND).readRecordsToList();
        assertEquals(
                List.of(
                        new io.httpmon.common.model.SecondCounts(
                                at(0),
                                7,
                                Map.of(
                                        "/api",
                                        Map.of("2xx", 3L, "5xx", 2L),
                                        "/static",
                                        Map.of("4xx", 1L),
                                        "",
                                        Map.of("other", 1L))),
                        new io.httpmon.common.model.SecondCounts(at(2), 4, Map.of("/", Map.of("3xx", 4L)))),
                seconds.stream().map(TestRecord::value).toList(),
                "second 1 had none: no record");
        assertEquals(T0.plusSeconds(2).toEpochMilli(), seconds.get(1).timestamp());
        assertEquals(List.of(), lines(), "and no alert");
    }

    @Test
    void theFingerprintIsAlertmanagersOwn() {
        // model.LabelSet{"alertname": "HighTraffic", "severity": "page"}.Fingerprint() in Alertmanager 0.25, whose
        // API says the same for such an alert (AlertmanagerIT checks it against the real one).
        assertEquals(
                AlertEvent.fingerprint(Map.of("severity", "page", "alertname", "HighTraffic")),
                AlertEvent.fingerprint(
                        new java.util.TreeMap<>(Map.of("alertname", "HighTraffic", "severity", "page"))));
        assertEquals(16, AlertEvent.fingerprint(Map.of("alertname", "x")).length());
    }
}
