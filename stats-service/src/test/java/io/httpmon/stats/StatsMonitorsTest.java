package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.httpmon.common.Topics;
import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.config.RequestField;
import io.httpmon.common.config.RequestFilter;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [Stats NAME]} monitors beside the default one: filters, their own interval, groups with "other". */
class StatsMonitorsTest {

    private static final String PREFIX = "m.";
    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private static HttpRequest request(long second, String path, int status, long bytes) {
        return TestRequest.at(T0.plusSeconds(second))
                .get(path)
                .status(status)
                .bytes(bytes)
                .build();
    }

    private static MonitorSettings monitor(
            String name, Integer interval, Integer top, RequestField groupBy, String... keyValues) {
        List<RequestFilter.Condition> conditions = new java.util.ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            conditions.add(RequestFilter.Condition.parse(RequestField.byKey(keyValues[i]), keyValues[i + 1]));
        }
        return new MonitorSettings(name, interval, top, new RequestFilter(conditions), groupBy);
    }

    private static List<StatsWindow> of(List<StatsWindow> records, String monitor) {
        return records.stream()
                .filter(w -> Objects.equals(w.monitor(), monitor))
                .toList();
    }

    @Test
    void eachMonitorCountsWhatItsFilterLetsThroughInItsOwnWindowsAndGroups() {
        StatsSettings settings = new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1))
                .withMonitors(List.of(
                        monitor("errors", 20, null, null, "status", "5xx, 404"),
                        monitor("by_section", null, 2, RequestField.SECTION)));
        List<StatsWindow> out;
        try (PipelineDriver pipeline =
                new PipelineDriver(StatsTopology.build(PREFIX, settings), PREFIX, stateDir, T0.plusSeconds(60))) {
            var stats = pipeline.output(Topics.STATS);
            pipeline.send(
                    request(1, "/api/a", 200, 10),
                    request(2, "/api/b", 200, 10),
                    request(3, "/api/a", 200, 10),
                    request(4, "/api/c", 503, 5),
                    request(5, "/login", 404, 1),
                    request(6, "/login", 404, 1),
                    request(7, "/static/x.css", 200, 100),
                    request(8, "/", 200, 1));
            pipeline.send(request(25, "/api/a", 200, 10), request(31, "/login", 500, 3));
            pipeline.endOfInput(T0.plusSeconds(60));
            out = stats.readValuesToList().stream().filter(Objects::nonNull).toList();
        }

        List<StatsWindow> all = of(out, null);
        assertEquals(
                List.of(8L, 0L, 1L, 1L), all.stream().map(StatsWindow::hits).toList(), "the default, untouched");

        List<StatsWindow> errors = of(out, "errors");
        assertEquals(
                List.of("2026-06-01T12:00:20Z", "2026-06-01T12:00:40Z"),
                errors.stream().map(StatsWindow::windowEnd).toList(),
                "its own 20 s windows: " + errors);
        assertEquals(List.of(3L, 1L), errors.stream().map(StatsWindow::hits).toList());
        assertEquals(Map.of("/login", 2L, "/api", 1L), errors.get(0).topSections());
        assertEquals(7L, errors.get(0).bytes(), "only its requests' bytes: 5 + 1 + 1");
        assertNull(errors.get(0).group());

        List<StatsWindow> first = of(out, "by_section").stream()
                .filter(w -> w.windowEnd().equals("2026-06-01T12:00:10Z"))
                .toList();
        assertEquals(
                List.of("null 8", "/api 4", "/login 2", "other 2"),
                first.stream().map(w -> w.group() + " " + w.hits()).toList(),
                "the monitor's record, then its top 2 groups, then the rest: " + first);
        StatsWindow api = first.get(1);
        assertEquals(35, api.bytes());
        assertEquals(Map.of("2xx", 3L, "3xx", 0L, "4xx", 0L, "5xx", 1L), api.statusCodes());
        assertEquals(0.4, api.tps());
        assertNull(api.topSections(), "a group's record has no lists");
        StatsWindow other = first.get(3);
        assertEquals(101, other.bytes());
        assertEquals(Map.of("2xx", 2L, "3xx", 0L, "4xx", 0L, "5xx", 0L), other.statusCodes());
        assertEquals(
                List.of("null 0"),
                of(out, "by_section").stream()
                        .filter(w -> w.windowEnd().equals("2026-06-01T12:00:20Z"))
                        .map(w -> w.group() + " " + w.hits())
                        .toList(),
                "a window without traffic: the monitor's record alone");
    }
}
