package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.ops.ServiceMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counters Prometheus scrapes add up to the final windows' totals, however many revisions came. */
class TrafficMetricsTest {

    private static StatsWindow window(int start, int revision, long ok, long errors, long bytes) {
        String from = "2026-01-01T00:00:" + String.format("%02d", start) + "Z";
        String to = "2026-01-01T00:00:" + String.format("%02d", start + 10) + "Z";
        return new StatsWindow(
                to,
                revision,
                from,
                to,
                ok + errors,
                (ok + errors) / 10.0,
                List.of(),
                List.of(),
                Map.of("2xx", ok, "3xx", 0L, "4xx", 0L, "5xx", errors),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                bytes,
                1,
                0,
                0,
                0,
                1);
    }

    private static double requests(String monitor, String statusClass) {
        return ServiceMetrics.HTTP_REQUESTS.labelValues(monitor, statusClass).get();
    }

    @Test
    void windowsAddTheirCountsAndARevisionOnlyWhatItChanged() {
        TrafficMetrics traffic = new TrafficMetrics();
        traffic.add(window(0, 0, 10, 2, 100).of("rev", null));
        traffic.add(window(10, 0, 5, 0, 50).of("rev", null));
        traffic.add(window(0, 1, 13, 2, 130).of("rev", null)); // three late requests counted in the first window
        traffic.add(window(0, 1, 13, 2, 130).of("rev", null)); // the same record read again
        assertEquals(13 + 5, requests("rev", "2xx"), "the final windows' total");
        assertEquals(2, requests("rev", "5xx"));
        assertEquals(180, ServiceMetrics.HTTP_RESPONSE_BYTES.labelValues("rev").get());
    }

    @Test
    void theDefaultMonitorIsLabelledDefaultAndGroupsHaveTheirOwnSeries() {
        TrafficMetrics traffic = new TrafficMetrics();
        double before = requests(TrafficMetrics.DEFAULT_MONITOR, "2xx");
        traffic.add(window(0, 0, 7, 0, 0));
        assertEquals(before + 7, requests(TrafficMetrics.DEFAULT_MONITOR, "2xx"));
        traffic.add(window(0, 0, 4, 1, 0).of("grp", "/api"));
        traffic.add(window(0, 0, 2, 0, 0).of("grp", "other"));
        assertEquals(
                4,
                ServiceMetrics.HTTP_GROUP_REQUESTS
                        .labelValues("grp", "/api", "2xx")
                        .get());
        assertEquals(
                1,
                ServiceMetrics.HTTP_GROUP_REQUESTS
                        .labelValues("grp", "/api", "5xx")
                        .get());
        assertEquals(
                2,
                ServiceMetrics.HTTP_GROUP_REQUESTS
                        .labelValues("grp", "other", "2xx")
                        .get());
    }

    @Test
    void aGroupedMonitorKeepsABoundedNumberOfGroupSeries() {
        TrafficMetrics traffic = new TrafficMetrics();
        for (int client = 0; client < TrafficMetrics.MAX_GROUP_SERIES + 50; client++) {
            traffic.add(window(0, 0, 1, 0, 0).of("flood", "10.0.0." + client));
        }
        long series = ServiceMetrics.HTTP_GROUP_REQUESTS.collect().getDataPoints().stream()
                .filter(p -> p.getLabels().get("monitor").equals("flood"))
                .map(p -> p.getLabels().get("group"))
                .distinct()
                .count();
        assertEquals(TrafficMetrics.MAX_GROUP_SERIES, series, "the least recently counted groups are removed");
    }
}
