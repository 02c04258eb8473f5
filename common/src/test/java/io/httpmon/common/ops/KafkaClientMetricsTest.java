package io.httpmon.common.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.Test;

class KafkaClientMetricsTest {

    private static String scrape(KafkaClientMetrics collector) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void kafkaMetricsBecomePrometheusFamiliesAndTheLagIsSummedPerStageAndTopic() throws Exception {
        try (Metrics metrics = new Metrics()) {
            for (int partition = 0; partition < 3; partition++) {
                MetricName lag = metrics.metricName(
                        "records-lag",
                        "consumer-fetch-manager-metrics",
                        "lag",
                        Map.of("client-id", "c1", "topic", "httpmon.requests", "partition", "" + partition));
                Sensor sensor = metrics.sensor("lag-" + partition);
                sensor.add(lag, new Value());
                sensor.record(10 * (partition + 1));
            }
            Sensor sent = metrics.sensor("sent");
            sent.add(
                    metrics.metricName(
                            "record-send-total", "producer-metrics", "records sent", Map.of("client-id", "p1")),
                    new CumulativeSum());
            sent.record(42);
            metrics.sensor("nothing-yet")
                    .add(
                            metrics.metricName(
                                    "request-latency-avg", "producer-metrics", "average", Map.of("client-id", "p1")),
                            new Avg());
            Sensor store = metrics.sensor("store");
            store.add(metrics.metricName("put-rate", "stream-state-metrics", "per store", Map.of()), new Value());
            store.record(1);

            KafkaClientMetrics collector = new KafkaClientMetrics();
            collector.watch("stats", metrics::metrics);
            String text = scrape(collector);

            assertTrue(
                    text.contains("httpmon_consumer_lag_records{service=\"stats\",topic=\"httpmon.requests\"} 60.0"),
                    text);
            assertTrue(text.contains("# TYPE kafka_producer_record_send_total counter"), text);
            assertTrue(
                    text.contains("kafka_producer_record_send_total{client_id=\"p1\",service=\"stats\"} 42.0"), text);
            assertTrue(
                    text.contains("kafka_consumer_fetch_manager_records_lag{client_id=\"c1\",partition=\"2\","
                            + "service=\"stats\",topic=\"httpmon.requests\"} 30.0"),
                    text);
            assertFalse(text.contains("request_latency_avg"), "nothing measured yet is left out: " + text);
            assertFalse(text.contains("put_rate"), "per-store metrics are left out: " + text);
        }
    }

    @Test
    void nanosecondsAreSecondsAndNoGaugeEndsInCountAsPromtoolAsks() throws Exception {
        try (Metrics metrics = new Metrics()) {
            Sensor io = metrics.sensor("io");
            io.add(
                    metrics.metricName(
                            "io-time-ns-total", "consumer-metrics", "time in I/O", Map.of("client-id", "c1")),
                    new CumulativeSum());
            io.record(2_500_000_000.0);
            Sensor avg = metrics.sensor("io-avg");
            avg.add(metrics.metricName("io-wait-time-ns-avg", "producer-metrics", "wait", Map.of()), new Value());
            avg.record(1_000_000);
            Sensor connections = metrics.sensor("connections");
            connections.add(metrics.metricName("connection-count", "consumer-metrics", "open", Map.of()), new Value());
            connections.record(3);
            Sensor buffered = metrics.sensor("buffered");
            buffered.add(
                    metrics.metricName("active-buffer-count", "stream-task-metrics", "buffered", Map.of()),
                    new Value());
            buffered.record(7);

            KafkaClientMetrics collector = new KafkaClientMetrics();
            collector.watch("alert", metrics::metrics);
            String text = scrape(collector);

            assertTrue(text.contains("# TYPE kafka_consumer_io_time_seconds_total counter"), text);
            assertTrue(
                    text.contains("kafka_consumer_io_time_seconds_total{client_id=\"c1\",service=\"alert\"} 2.5"),
                    text);
            assertTrue(text.contains("kafka_producer_io_wait_time_avg_seconds{service=\"alert\"} 0.001"), text);
            assertTrue(text.contains("kafka_consumer_connections{service=\"alert\"} 3.0"), text);
            assertTrue(text.contains("kafka_stream_task_active_buffered_records{service=\"alert\"} 7.0"), text);
            assertFalse(text.contains("_ns"), text);
            assertFalse(text.contains("_count{"), text);
        }
    }

    @Test
    void aTopicReportedUnderBothOfKafkasSpellingsCountsOnce() throws Exception {
        try (Metrics metrics = new Metrics()) {
            // As Kafka's consumer does: each partition's lag under the topic's name and under its JMX spelling.
            for (String topic : new String[] {"httpmon.raw-lines", "httpmon_raw-lines"}) {
                for (int partition = 0; partition < 2; partition++) {
                    Sensor sensor = metrics.sensor("lag-" + topic + partition);
                    sensor.add(
                            metrics.metricName(
                                    "records-lag",
                                    "consumer-fetch-manager-metrics",
                                    "lag",
                                    Map.of("client-id", "c1", "topic", topic, "partition", "" + partition)),
                            new Value());
                    sensor.record(5);
                }
            }
            // A topic without a '.' has one spelling: kept.
            Sensor plain = metrics.sensor("plain");
            plain.add(
                    metrics.metricName(
                            "records-lag",
                            "consumer-fetch-manager-metrics",
                            "lag",
                            Map.of("client-id", "c1", "topic", "requests_v2", "partition", "0")),
                    new Value());
            plain.record(7);

            KafkaClientMetrics collector = new KafkaClientMetrics();
            collector.watch("parser", metrics::metrics);
            String text = scrape(collector);

            assertTrue(
                    text.contains("httpmon_consumer_lag_records{service=\"parser\",topic=\"httpmon.raw-lines\"} 10.0"),
                    text);
            assertTrue(
                    text.contains("httpmon_consumer_lag_records{service=\"parser\",topic=\"requests_v2\"} 7.0"), text);
            assertFalse(text.contains("httpmon_raw-lines"), "one spelling of every label value: " + text);
        }
    }

    @Test
    void aStoppedServiceIsNoLongerScraped() throws Exception {
        try (Metrics metrics = new Metrics()) {
            Sensor sent = metrics.sensor("sent");
            sent.add(metrics.metricName("record-send-total", "producer-metrics", "", Map.of()), new CumulativeSum());
            sent.record(1);
            KafkaClientMetrics collector = new KafkaClientMetrics();
            Health.Handle handle = collector.watch("reader", metrics::metrics);
            assertTrue(scrape(collector).contains("service=\"reader\""));
            handle.close();
            assertFalse(scrape(collector).contains("service=\"reader\""));
        }
    }

    @Test
    void healthIsReadyOnlyWhenEveryCheckIs() {
        try (Health.Handle a = Health.register("test-a", () -> null);
                Health.Handle b = Health.register("test-b", () -> "Kafka Streams is REBALANCING")) {
            Health.Report report = Health.report();
            assertFalse(report.ready());
            assertEquals("ready", report.services().get("test-a"));
            assertEquals("Kafka Streams is REBALANCING", report.services().get("test-b"));
            b.close();
            assertFalse(Health.report().services().containsKey("test-b"), "a closed check is gone");
        }
    }
}
