package io.httpmon.display;

import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.ops.ServiceMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the statistics windows the display writes into Prometheus' traffic counters (see {@link ServiceMetrics},
 * {@code httpmon_http_*}): each window adds its requests per status class and its bytes; a revision adds only what it
 * changed, so a counter's total is the final windows' total. Not thread-safe: called by the display's loop.
 */
final class TrafficMetrics {

    /** The monitor label of the default {@code [Stats]}. */
    static final String DEFAULT_MONITOR = "default";
    /** Group series kept per grouped monitor: the least recently counted beyond it are removed. */
    static final int MAX_GROUP_SERIES = 100;
    /** Windows remembered for their revisions (a revision comes within max_lateness, a few windows later). */
    private static final int REMEMBERED_WINDOWS = 4096;

    private final Map<String, StatsWindow> counted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StatsWindow> eldest) {
            return size() > REMEMBERED_WINDOWS;
        }
    };
    /** Per grouped monitor, its group series, least recently counted first. */
    private final Map<String, LinkedHashMap<String, Boolean>> groups = new LinkedHashMap<>();

    void add(StatsWindow window) {
        String monitor = window.monitor() == null ? DEFAULT_MONITOR : window.monitor();
        String key =
                monitor + '\u0000' + window.group() + '\u0000' + window.windowStart() + '\u0000' + window.windowEnd();
        StatsWindow before = counted.put(key, window);
        if (before != null && before.revision() >= window.revision()) {
            counted.put(key, before); // the same record again (a replay of the topic): counted already
            return;
        }
        Map<String, Long> earlier = before == null ? Map.of() : before.statusCodes();
        if (window.group() == null) {
            window.statusCodes().forEach((statusClass, n) -> {
                long delta = n - earlier.getOrDefault(statusClass, 0L);
                if (delta > 0) {
                    ServiceMetrics.HTTP_REQUESTS
                            .labelValues(monitor, statusClass)
                            .inc(delta);
                }
            });
            long bytes = window.bytes() - (before == null ? 0 : before.bytes());
            if (bytes > 0) {
                ServiceMetrics.HTTP_RESPONSE_BYTES.labelValues(monitor).inc(bytes);
            }
            StatsWindow.ResponseTimes times = window.responseTimeMs();
            if (times != null && times.count() > 0) {
                ServiceMetrics.HTTP_RESPONSE_TIME.labelValues(monitor, "0.5").set(times.p50() / 1000);
                ServiceMetrics.HTTP_RESPONSE_TIME.labelValues(monitor, "0.9").set(times.p90() / 1000);
                ServiceMetrics.HTTP_RESPONSE_TIME.labelValues(monitor, "0.99").set(times.p99() / 1000);
                ServiceMetrics.HTTP_RESPONSE_TIME.labelValues(monitor, "1").set(times.max() / 1000);
            }
            return;
        }
        LinkedHashMap<String, Boolean> series =
                groups.computeIfAbsent(monitor, m -> new LinkedHashMap<>(16, 0.75f, true));
        series.put(window.group(), Boolean.TRUE);
        window.statusCodes().forEach((statusClass, n) -> {
            long delta = n - earlier.getOrDefault(statusClass, 0L);
            if (delta > 0) {
                ServiceMetrics.HTTP_GROUP_REQUESTS
                        .labelValues(monitor, window.group(), statusClass)
                        .inc(delta);
            }
        });
        while (series.size() > MAX_GROUP_SERIES) {
            String eldest = series.keySet().iterator().next();
            series.remove(eldest);
            ServiceMetrics.HTTP_GROUP_REQUESTS.removeIf(
                    labels -> labels.get(0).equals(monitor) && labels.get(1).equals(eldest));
        }
    }
}
