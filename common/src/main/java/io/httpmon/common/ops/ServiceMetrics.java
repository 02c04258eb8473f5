package io.httpmon.common.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every metric httpmon's own code counts, in one place (as the topic names are in {@code Topics}): the names follow
 * Prometheus' conventions (the {@code httpmon_} namespace, the stage, base units, counters end in {@code _total}).
 * They live in the default registry: one process serves one {@code /metrics}, the all-in-one monitor's holding every
 * stage. Kafka's client and Streams metrics come from {@link KafkaClientMetrics}, the JVM's from the client library.
 */
public final class ServiceMetrics {

    private ServiceMetrics() {}

    public static final Counter LINES_READ = Counter.builder()
            .name("httpmon_reader_lines_total")
            .help("Lines read from the followed log and published to raw-lines")
            .build();
    public static final Counter BYTES_READ = Counter.builder()
            .name("httpmon_reader_read_bytes_total")
            .unit(Unit.BYTES)
            .help("Bytes of those lines, newlines included")
            .build();

    public static final Counter REQUESTS_PARSED = Counter.builder()
            .name("httpmon_parser_requests_total")
            .help("Lines parsed into requests and published to requests")
            .build();
    public static final Counter DEAD_LETTERS = Counter.builder()
            .name("httpmon_parser_dead_letters_total")
            .help("Lines that could not be parsed, published to parse-errors with the reason")
            .build();
    public static final Counter FUTURE_REQUESTS = Counter.builder()
            .name("httpmon_parser_future_requests_total")
            .help("Requests stamped further ahead of the reader's clock than [Stats] max_future allows")
            .build();

    public static final Counter WINDOWS = Counter.builder()
            .name("httpmon_stats_windows_total")
            .help("Statistics windows published")
            .build();
    public static final Counter WINDOW_REQUESTS = Counter.builder()
            .name("httpmon_stats_requests_total")
            .help("Requests counted in the published windows")
            .build();
    public static final Counter LATE_REQUESTS = Counter.builder()
            .name("httpmon_stats_late_requests_total")
            .help("Requests that came after their window was published (counted apart, in the next window)")
            .build();
    public static final Histogram WINDOW_LATENCY = Histogram.builder()
            .name("httpmon_stats_window_latency_seconds")
            .unit(Unit.SECONDS)
            .help("From a window's end (event time) to its publication (wall clock): seconds when following a live "
                    + "log, the log's age when replaying an old one")
            .classicOnly()
            .classicUpperBounds(0.5, 1, 2, 5, 10, 30, 60, 300, 3600, 86_400, 2_592_000)
            .build();

    public static final Counter TRANSITIONS = Counter.builder()
            .name("httpmon_alert_transitions_total")
            .help("Alert transitions published, by rule and state (firing, resolved)")
            .labelNames("rule", "state")
            .build();

    public static final Counter DISPLAYED = Counter.builder()
            .name("httpmon_display_records_total")
            .help("Windows and alerts written by the display, by kind (window, alert)")
            .labelNames("kind")
            .build();

    // Traffic, from the statistics windows the display writes (exactly-once topics, each window once, revisions as
    // their difference): what a Grafana panel queries. Bounded: monitors x status classes, and per grouped monitor at
    // most TrafficMetrics' cap of group series.
    public static final Counter HTTP_REQUESTS = Counter.builder()
            .name("httpmon_http_requests_total")
            .help("Requests of the log, by statistics monitor ([Stats NAME]; 'default' is [Stats]) and status class")
            .labelNames("monitor", "status_class")
            .build();
    public static final Counter HTTP_RESPONSE_BYTES = Counter.builder()
            .name("httpmon_http_response_bytes_total")
            .help("Response bytes of the log's requests, by statistics monitor")
            .labelNames("monitor")
            .build();
    public static final Counter HTTP_GROUP_REQUESTS = Counter.builder()
            .name("httpmon_http_group_requests_total")
            .help("Requests of a grouped monitor's groups (its group_by), the recent top ones, and 'other'")
            .labelNames("monitor", "group", "status_class")
            .build();
    public static final Gauge HTTP_RESPONSE_TIME = Gauge.builder()
            .name("httpmon_http_response_time_seconds")
            .help("Response time quantiles of the last statistics window that had requests with one, by monitor")
            .labelNames("monitor", "quantile")
            .build();

    // Per source (one reader, one web server's log; sources are few, so the label stays bounded): which server is
    // quiet, late or writing garbage. The totals above stay as they are.
    public static final Counter SOURCE_LINES = Counter.builder()
            .name("httpmon_source_lines_total")
            .help("Lines read and published, by source (reader id)")
            .labelNames("source")
            .build();
    public static final Counter SOURCE_REQUESTS = Counter.builder()
            .name("httpmon_source_requests_total")
            .help("Lines parsed into requests, by source")
            .labelNames("source")
            .build();
    public static final Counter SOURCE_DEAD_LETTERS = Counter.builder()
            .name("httpmon_source_dead_letters_total")
            .help("Lines sent to parse-errors, by source")
            .labelNames("source")
            .build();
    public static final Counter SOURCE_LATE_REQUESTS = Counter.builder()
            .name("httpmon_source_late_requests_total")
            .help("Requests that came too late for their window, by source (counted when stage one sees them)")
            .labelNames("source")
            .build();

    /** Each stage's own metrics: what a process exports is what the stages it runs count, nothing at 0 for others. */
    private static final Map<String, List<Collector>> BY_STAGE = Map.of(
            "reader", List.of(LINES_READ, BYTES_READ, SOURCE_LINES),
            "parser", List.of(REQUESTS_PARSED, DEAD_LETTERS, FUTURE_REQUESTS, SOURCE_REQUESTS, SOURCE_DEAD_LETTERS),
            "stats", List.of(WINDOWS, WINDOW_REQUESTS, LATE_REQUESTS, WINDOW_LATENCY, SOURCE_LATE_REQUESTS),
            "alert", List.of(TRANSITIONS),
            "display", List.of(DISPLAYED, HTTP_REQUESTS, HTTP_RESPONSE_BYTES, HTTP_GROUP_REQUESTS, HTTP_RESPONSE_TIME));

    private static final Set<String> EXPORTED = ConcurrentHashMap.newKeySet();

    /**
     * Exports {@code stage}'s metrics from this process's {@code /metrics} (once; the all-in-one monitor exports every
     * stage's, each under its stage's name): called when the stage starts.
     */
    public static void export(String stage) {
        List<Collector> metrics = BY_STAGE.get(stage);
        if (metrics == null) {
            throw new IllegalArgumentException("no stage " + stage);
        }
        if (EXPORTED.add(stage)) {
            metrics.forEach(PrometheusRegistry.defaultRegistry::register);
        }
    }

    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    /**
     * JVM metrics, Kafka's client metrics, and whether each service is ready: once per process, when it starts
     * serving {@code /metrics}.
     */
    static void registerJvmAndKafka() {
        if (REGISTERED.compareAndSet(false, true)) {
            JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
            PrometheusRegistry.defaultRegistry.register(KafkaClientMetrics.INSTANCE);
            GaugeWithCallback.builder()
                    .name("httpmon_service_ready")
                    .help("1 when the service is connected to Kafka (and, for Kafka Streams, RUNNING), as /health says")
                    .labelNames("service")
                    .callback(cb -> Health.report()
                            .services()
                            .forEach((service, state) -> cb.call(state.equals("ready") ? 1 : 0, service)))
                    .register();
        }
    }
}
