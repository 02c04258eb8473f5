package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Json;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputFormatterTest {

    private static StatsWindow withResource(String resource) {
        return withResource(resource, 0);
    }

    private static StatsWindow withResource(String resource, int revision) {
        return new StatsWindow(
                "2018-05-09T16:00:10Z",
                revision,
                "2018-05-09T16:00:00Z",
                "2018-05-09T16:00:10Z",
                1,
                0.1,
                List.of("/x"),
                List.of(),
                Map.of("2xx", 1L),
                Map.of("/x", 1L),
                Map.of(resource, 1L),
                Map.of(),
                Map.of("GET", 1L),
                10,
                1,
                0,
                0,
                0,
                1);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E));
    }

    @Test
    void aStatsWindowIsOneJsonLineThatReadsBack() throws Exception {
        String line = new OutputFormatter(OutputSettings.Format.text).stats(withResource("/x/y"));
        assertFalse(line.contains("\n"));
        assertTrue(line.startsWith("{\"time\":\"2018-05-09T16:00:10Z\""), line);
        assertEquals(withResource("/x/y"), Json.MAPPER.readValue(line, StatsWindow.class));
    }

    @Test
    void terminalEscapesFromTheLogArePrintedAsVisibleEscapes() throws Exception {
        String evil = "/\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202egnp.exe\r\nHigh traffic alert recovered";
        String line = new OutputFormatter(OutputSettings.Format.text).stats(withResource(evil));
        assertFalse(hasControl(line), line);
        assertTrue(line.contains("\\u001B[2J"), line);
        assertTrue(line.contains("\\u009B") && line.contains("\\u202E") && line.contains("\\r\\n"), line);
        assertEquals(
                evil,
                Json.MAPPER
                        .readValue(line, StatsWindow.class)
                        .topResources()
                        .keySet()
                        .iterator()
                        .next(),
                "a JSON reader still gets the exact text back");
    }

    @Test
    void alertsAreTheirMessageOrTheirJson() {
        AlertEvent fired = new AlertEvent(
                "alert_1",
                AlertEvent.State.FIRING,
                12,
                12.5,
                10,
                120,
                "2018-05-09T16:01:02Z",
                "2018-05-09T16:01:02Z",
                null,
                "High traffic generated an alert - hits = 12, triggered at 2018-05-09T16:01:02Z");
        assertEquals(
                "High traffic generated an alert - hits = 12, triggered at 2018-05-09T16:01:02Z",
                new OutputFormatter(OutputSettings.Format.text).alert(fired));
        String json = new OutputFormatter(OutputSettings.Format.json).alert(fired);
        assertTrue(json.startsWith("{\"alert\":\"alert_1\",\"state\":\"FIRING\""), json);
    }

    @Test
    void aCorrectionSaysSoSecondInItsLineAndAFirstRecordDoesNotMentionIt() {
        OutputFormatter text = new OutputFormatter(OutputSettings.Format.text);
        assertTrue(
                text.stats(withResource("/x", 2)).startsWith("{\"time\":\"2018-05-09T16:00:10Z\",\"revision\":2,"),
                text.stats(withResource("/x", 2)));
        assertFalse(text.stats(withResource("/x", 0)).contains("revision"), text.stats(withResource("/x", 0)));
    }
}
