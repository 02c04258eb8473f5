package io.httpmon.common.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A process exports the metrics of the stages it runs, not every stage's at 0. */
class ServiceMetricsTest {

    private static String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, PrometheusRegistry.defaultRegistry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStageExportsItsOwnMetricsOnly() throws IOException {
        ServiceMetrics.export("reader");
        ServiceMetrics.export("reader"); // a second instance of the stage in the process: nothing twice
        String text = scrape();
        assertTrue(text.contains("httpmon_reader_lines_total 0"), text);
        assertFalse(text.contains("httpmon_parser_requests_total"), "not the parser's: " + text);
        assertFalse(text.contains("httpmon_stats_windows_total"), "not the statistics': " + text);
        assertThrows(IllegalArgumentException.class, () -> ServiceMetrics.export("nonsense"));
    }
}
