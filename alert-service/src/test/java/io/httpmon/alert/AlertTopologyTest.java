package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Control;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertTopologyTest {

    private static final Instant T0 = Instant.parse("2018-05-09T12:00:00Z");

    @TempDir
    Path stateDir;

    private AlertPipeline pipeline;

    private void start(Instant wallClock, AlertRule... rules) {
        pipeline = new AlertPipeline(stateDir, T0, wallClock, List.of(rules), List.of(rules));
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void hits(long second, int count) {
        pipeline.requests(second, count, 200, "/");
    }

    private void perSecond(int... counts) {
        pipeline.perSecond(counts);
    }

    private void endOfInput() {
        pipeline.endOfInput();
    }

    private static String line(AlertEvent e) {
        return e.alert() + " " + e.message();
    }

    private List<String> lines() {
        return pipeline.events().stream().map(AlertTopologyTest::line).toList();
    }

    @Test
    void theIssueExampleGivesExactlyItsThreeTransitions() {
        start(T0, new AlertRule("r", 4, 2));
        perSecond(5, 5, 0, 0, 9, 1);
        endOfInput();
        List<TestRecord<String, AlertEvent>> out = pipeline.alerts.readRecordsToList();
        assertEquals(4, out.size());
        AlertEvent fired = out.get(0).value();
        assertEquals("r", out.get(0).key());
        assertEquals(AlertEvent.State.FIRING, fired.state());
        assertEquals(5, fired.hits());
        assertEquals(5.0, fired.average());
        assertEquals(4.0, fired.threshold());
        assertEquals(2, fired.windowSeconds());
        assertEquals("2018-05-09T12:00:01Z", fired.at());
        assertEquals("2018-05-09T12:00:01Z", fired.triggeredAt());
        assertEquals("High traffic generated an alert - hits = 5, triggered at 2018-05-09T12:00:01Z", fired.message());
        assertEquals(T0.plusSeconds(1).toEpochMilli(), out.get(0).timestamp());

        AlertEvent resolved = out.get(1).value();
        assertEquals(AlertEvent.State.RESOLVED, resolved.state());
        assertEquals("High traffic alert recovered at 2018-05-09T12:00:02Z", resolved.message());
        assertEquals("2018-05-09T12:00:01Z", resolved.triggeredAt());
        assertEquals("2018-05-09T12:00:02Z", resolved.recoveredAt());
        assertEquals(2, resolved.hits());

        AlertEvent again = out.get(2).value();
        assertEquals("High traffic generated an alert - hits = 4, triggered at 2018-05-09T12:00:04Z", again.message());
        assertEquals(4.5, again.average());

        assertNull(out.get(3).value(), "then the end-of-input marker");
        assertTrue(Control.isControl(out.get(3).headers()));
    }

    /** The transitions of a traffic rule and a client_rate rule, and the changelogs written meanwhile. */
    private record Replay(List<String> transitions, java.util.Set<String> changelogs) {}

    private Replay replay(io.httpmon.windowing.Durability durability, Path dir) {
        AlertRule traffic = new AlertRule("r", 4, 2);
        AlertRule clients =
                new AlertRule("flood", AlertRule.Kind.CLIENT_RATE, 3, 2, null, null, 0, 0, null, null, null, null, 5);
        try (AlertPipeline p =
                new AlertPipeline(dir, T0, T0, List.of(traffic, clients), List.of(traffic, clients), durability)) {
            int[] counts = {5, 5, 0, 0, 9, 1};
            for (int s = 0; s < counts.length; s++) {
                p.requests(s, counts[s], 200, "/");
            }
            p.endOfInput();
            java.util.Set<String> changelogs = new java.util.TreeSet<>();
            p.driver.driver().producedTopicNames().stream()
                    .filter(t -> t.endsWith("-changelog"))
                    .forEach(changelogs::add);
            return new Replay(p.events().stream().map(AlertTopologyTest::line).toList(), changelogs);
        }
    }

    @Test
    void aReplaysAlertsKeepNoChangelogsAndGiveTheSameTransitions(@TempDir Path other) {
        Replay restartable = replay(io.httpmon.windowing.Durability.RESTARTABLE, stateDir);
        Replay throwaway = replay(io.httpmon.windowing.Durability.THROWAWAY, other);
        assertTrue(
                restartable
                        .changelogs()
                        .containsAll(List.of(
                                "pipeline-test-alerts-rules-changelog",
                                "pipeline-test-alerts-clients-changelog",
                                "pipeline-test-alerts-pending-changelog")),
                "a service's state is changelogged: " + restartable.changelogs());
        assertEquals(java.util.Set.of(), throwaway.changelogs(), "a replay's state has no changelog");
        assertTrue(
                restartable
                        .transitions()
                        .contains("r High traffic generated an alert - hits = 5, triggered at 2018-05-09T12:00:01Z"),
                "the traffic rule fires: " + restartable.transitions());
        assertTrue(
                restartable.transitions().stream().anyMatch(l -> l.startsWith("flood ")),
                "the client rule fires: " + restartable.transitions());
        assertEquals(restartable.transitions(), throwaway.transitions());
    }

    @Test
    void severalRulesAreEvaluatedTogether() {
        start(T0, new AlertRule("fast", 4, 2), new AlertRule("slow", 3, 4));
        perSecond(5, 5, 0, 0, 9, 1);
        endOfInput();
        assertEquals(
                List.of(
                        "fast High traffic generated an alert - hits = 5, triggered at 2018-05-09T12:00:01Z",
                        "fast High traffic alert recovered at 2018-05-09T12:00:02Z",
                        // slow: (5 + 0 + 0 + 9) / 4 = 3.5 at 12:00:04, (0 + 0 + 9 + 1) / 4 = 2.5 at 12:00:05
                        "fast High traffic generated an alert - hits = 4, triggered at 2018-05-09T12:00:04Z",
                        "slow High traffic generated an alert - hits = 3, triggered at 2018-05-09T12:00:04Z",
                        "slow High traffic alert recovered at 2018-05-09T12:00:05Z"),
                lines());
    }

    @Test
    void secondsWithoutRequestsCountAsZeroAcrossAGap() {
        start(T0, new AlertRule("r", 2, 2));
        hits(0, 5);
        hits(100, 1);
        endOfInput();
        assertEquals(
                List.of(
                        "r High traffic generated an alert - hits = 2, triggered at 2018-05-09T12:00:00Z",
                        "r High traffic alert recovered at 2018-05-09T12:00:02Z"),
                lines());
    }

    @Test
    void outOfOrderWithinGraceCountsInItsSecond() {
        start(T0, new AlertRule("r", 3, 1));
        hits(0, 2);
        hits(1, 1);
        hits(0, 1); // one second late, inside the 2 s grace
        endOfInput();
        assertEquals(
                List.of(
                        "r High traffic generated an alert - hits = 3, triggered at 2018-05-09T12:00:00Z",
                        "r High traffic alert recovered at 2018-05-09T12:00:01Z"),
                lines());
    }

    @Test
    void laterThanGraceIsNotCountedInItsSecond() {
        start(T0, new AlertRule("r", 3, 1));
        hits(0, 2);
        hits(5, 1);
        hits(0, 1); // five seconds late: second 0 was already evaluated with 2 hits
        endOfInput();
        assertEquals(List.of(), lines());
    }

    @Test
    void anAlertRecoversWhenTheReaderSaysTrafficStopped() {
        start(T0.plusSeconds(30), new AlertRule("r", 2, 2));
        perSecond(5, 5, 5);
        assertEquals(List.of(), lines(), "second 0 is final only when the clock passes 12:00:03");
        for (int s = 4; s <= 10; s++) {
            idle(T0.plusSeconds(s));
        }
        assertEquals(
                List.of(
                        "r High traffic generated an alert - hits = 2, triggered at 2018-05-09T12:00:00Z",
                        "r High traffic alert recovered at 2018-05-09T12:00:04Z"),
                lines());
    }

    @Test
    void aStalledPipelineNeverRecoversAnAlert() {
        start(T0.plusSeconds(6), new AlertRule("r", 2, 2));
        perSecond(5, 5, 5, 5, 5, 5);
        for (int i = 0; i < 120; i++) {
            pipeline.driver.advanceWallClock(Duration.ofMillis(500)); // a minute without heartbeats: broker down, say
        }
        assertEquals(
                List.of("r High traffic generated an alert - hits = 2, triggered at 2018-05-09T12:00:00Z"), lines());
    }

    private void idle(Instant readerClock) {
        pipeline.driver.idle(readerClock);
    }

    @Test
    void ruleParsingNamesWhatIsWrong() {
        assertEquals(new AlertRule("alert_1", 30, 120), AlertRule.parse("alert_1", " 30, 120"));
        UsageException ten = org.junit.jupiter.api.Assertions.assertThrows(
                UsageException.class, () -> AlertRule.parse("alert_1", "ten, 120"));
        assertTrue(ten.getMessage().contains("'ten' is not a number"), ten.getMessage());
        UsageException negative = org.junit.jupiter.api.Assertions.assertThrows(
                UsageException.class, () -> AlertRule.parse("alert_1", "10, -5"));
        assertTrue(negative.getMessage().contains("window"), negative.getMessage());
    }
}
