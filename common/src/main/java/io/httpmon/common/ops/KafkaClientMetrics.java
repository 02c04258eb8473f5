package io.httpmon.common.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Kafka's own client and Streams metrics of every service in this process, read at each scrape (a client's
 * {@code metrics()} is safe from any thread), as {@code kafka_<group>_<name>} with the Kafka tags and the service as
 * labels: a Kafka metric ending in {@code -total} is a counter, any other a gauge. Named as Prometheus names them,
 * so {@code promtool check metrics} passes: nanoseconds become seconds ({@code io-time-ns-total} is
 * {@code kafka_consumer_io_time_seconds_total}, in seconds), and a gauge does not end in {@code _count}, which is a
 * histogram's ({@code connection-count} is {@code kafka_consumer_connections}). Only the groups an operator
 * watches (fetching and lag, commits and rebalances, sends, connections, stream threads and tasks): a Streams
 * service's per-store and per-processor metrics would be thousands of series. Plus the lag per stage and topic,
 * {@code httpmon_consumer_lag_records}, summed over the partitions the service's consumers own.
 */
public final class KafkaClientMetrics implements MultiCollector {

    public static final KafkaClientMetrics INSTANCE = new KafkaClientMetrics();

    static final Set<String> GROUPS = Set.of(
            "consumer-metrics",
            "consumer-fetch-manager-metrics",
            "consumer-coordinator-metrics",
            "producer-metrics",
            "stream-metrics",
            "stream-thread-metrics",
            "stream-task-metrics");

    private final Map<String, Supplier<Map<MetricName, ? extends Metric>>> sources = new ConcurrentHashMap<>();

    KafkaClientMetrics() {}

    /** The clients of {@code service} (replacing its earlier ones); closing the handle forgets them. */
    public Health.Handle watch(String service, Supplier<Map<MetricName, ? extends Metric>> metrics) {
        sources.put(service, metrics);
        return () -> sources.remove(service, metrics);
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        Map<List<String>, Double> lag = new TreeMap<>(KafkaClientMetrics::compare);
        for (var source : sources.entrySet()) {
            Map<MetricName, ? extends Metric> metrics;
            try {
                metrics = source.getValue().get();
            } catch (RuntimeException e) {
                continue; // a client being closed
            }
            add(source.getKey(), metrics, families, lag);
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        families.values().forEach(f -> snapshots.add(f.snapshot()));
        GaugeSnapshot.Builder lagSnapshot = GaugeSnapshot.builder()
                .name("httpmon_consumer_lag_records")
                .help("Records a stage has yet to consume, by service and input topic (from its consumers' "
                        + "records-lag, over the partitions they own)");
        lag.forEach((key, value) -> lagSnapshot.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("service", key.get(0), "topic", key.get(1)))
                .value(value)
                .build()));
        snapshots.add(lagSnapshot.build());
        return new MetricSnapshots(snapshots);
    }

    static void add(
            String service,
            Map<MetricName, ? extends Metric> metrics,
            Map<String, Family> families,
            Map<List<String>, Double> lag) {
        // Kafka's consumer reports its per-topic and per-partition metrics twice, the topic tag spelled as the topic
        // is named and with '.' turned into '_' (for JMX): only the first spelling is kept, so a sum counts once.
        Set<List<Object>> spelledAsNamed = new HashSet<>();
        for (MetricName name : metrics.keySet()) {
            String topic = name.tags().get("topic");
            if (topic != null && topic.indexOf('.') >= 0) {
                spelledAsNamed.add(withJmxTopic(name));
            }
        }
        for (var entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (!GROUPS.contains(name.group()) || !(entry.getValue().metricValue() instanceof Number number)) {
                continue;
            }
            String topic = name.tags().get("topic");
            if (topic != null && topic.indexOf('.') < 0 && spelledAsNamed.contains(withJmxTopic(name))) {
                continue; // the '_' spelling of a metric also reported under the topic's own name
            }
            double value = number.doubleValue();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue; // an average or a maximum with nothing measured yet
            }
            if (name.name().equals("records-lag") && name.tags().containsKey("partition")) {
                lag.merge(List.of(service, name.tags().getOrDefault("topic", "")), value, Double::sum);
            }
            boolean counter = name.name().endsWith("-total");
            String group = name.group().endsWith("-metrics")
                    ? name.group().substring(0, name.group().length() - "-metrics".length())
                    : name.group();
            String metric = counter ? name.name().substring(0, name.name().length() - "-total".length()) : name.name();
            if (metric.contains("-ns")) {
                metric = metric.replace("-ns", "") + "-seconds";
                value /= 1e9;
            }
            if (!counter && metric.endsWith("-count")) {
                metric = GAUGE_COUNTS.getOrDefault(
                        metric, metric.substring(0, metric.length() - "-count".length()) + "-number");
            }
            String base = "kafka_" + group + "_" + metric;
            String prometheusName = PrometheusNaming.sanitizeMetricName(base.replace('-', '_'));
            Family family = families.computeIfAbsent(
                    prometheusName + (counter ? "_total" : ""),
                    n -> new Family(prometheusName, counter, name.description()));
            if (family.counter != counter) {
                continue; // a gauge named as another metric's counter: keep the first
            }
            Map<String, String> labels = new TreeMap<>();
            labels.put("service", service);
            name.tags().forEach((k, v) -> labels.put(PrometheusNaming.sanitizeLabelName(k), v));
            family.points.putIfAbsent(labels, value);
        }
    }

    /** Gauges Kafka names {@code ...-count}, as Prometheus would name them; others become {@code ..._number}. */
    private static final Map<String, String> GAUGE_COUNTS =
            Map.of("connection-count", "connections", "active-buffer-count", "active-buffered-records");

    /** A metric's identity with its topic tag spelled as Kafka's JMX names spell it ('.' as '_'). */
    private static List<Object> withJmxTopic(MetricName name) {
        Map<String, String> tags = new TreeMap<>(name.tags());
        tags.computeIfPresent("topic", (k, t) -> t.replace('.', '_'));
        return List.of(name.group(), name.name(), tags);
    }

    /** One metric family: its data points by label set (the first value wins if two clients share every tag). */
    static final class Family {
        final String name;
        final boolean counter;
        final String help;
        final Map<Map<String, String>, Double> points = new LinkedHashMap<>();

        Family(String name, boolean counter, String help) {
            this.name = name;
            this.counter = counter;
            this.help = help == null || help.isBlank() ? "Kafka client metric" : help;
        }

        MetricSnapshot snapshot() {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                points.forEach((labels, value) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(labels))
                        .value(value)
                        .build()));
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((labels, value) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels(labels))
                    .value(value)
                    .build()));
            return b.build();
        }

        private static Labels labels(Map<String, String> labels) {
            return Labels.of(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()));
        }
    }

    private static int compare(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }
}
