package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [Stats NAME]} monitors end to end through {@code ./httpmon --once}: each monitor's records, and each group's,
 * equal what this test counts from the file itself (its own regex and arithmetic, not httpmon's parser or filters),
 * and the default statistics are line for line what they are without monitors.
 */
class StatsMonitorsIT {

    private static final String BASE = """
            [Stats]
            interval = 10
            [Output]
            displayer = stdout
            """;
    private static final String MONITORS = """
            [Stats errors]
            status = 4xx, 5xx
            [Stats scripts]
            user_agent = ~^(curl|Go-http)
            interval = 30
            group_by = method
            [Stats api_writes]
            section = /api
            method = POST, PUT
            """;
    private static final Pattern COMBINED = Pattern.compile(
            "^\\S+ \\S+ \\S+ \\[([^\\]]+)\\] \"(\\S+) (/[^/ ?]*)\\S* [^\"]*\" (\\d{3}) (\\S+) \"[^\"]*\" \"([^\"]*)\"$");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    @TempDir
    Path dir;

    /** One line of the file as this test reads it. */
    private record Line(long epochSecond, String method, String section, int status, long bytes, String agent) {}

    private static Line line(String text) {
        Matcher m = COMBINED.matcher(text);
        assertTrue(m.matches(), text);
        return new Line(
                ZonedDateTime.parse(m.group(1), CLF_TIME).toEpochSecond(),
                m.group(2),
                m.group(3),
                Integer.parseInt(m.group(4)),
                m.group(5).equals("-") ? 0 : Long.parseLong(m.group(5)),
                m.group(6));
    }

    /** "WINDOW_START GROUP" to hits, for the lines {@code counted} lets through, in windows of {@code size} s. */
    private static Map<String, Long> oracle(List<Line> lines, Predicate<Line> counted, long size, boolean byMethod) {
        Map<String, Long> hits = new TreeMap<>();
        for (Line l : lines) {
            if (counted.test(l)) {
                String window = java.time.Instant.ofEpochSecond(Math.floorDiv(l.epochSecond(), size) * size)
                        .toString();
                hits.merge(window + " all", 1L, Long::sum);
                if (byMethod) {
                    hits.merge(window + " " + l.method(), 1L, Long::sum);
                }
            }
        }
        return hits;
    }

    private static Map<String, Long> printed(List<JsonNode> records, String monitor) {
        Map<String, Long> hits = new TreeMap<>();
        for (JsonNode r : records) {
            if (monitor.equals(r.path("monitor").asText(null)) && r.get("hits").asLong() > 0) {
                String group = r.has("group") ? r.get("group").asText() : "all";
                hits.put(
                        r.get("window_start").asText() + " " + group,
                        r.get("hits").asLong());
            }
        }
        return hits;
    }

    @Test
    void eachMonitorPrintsWhatTheFileImpliesAndTheDefaultStatisticsStayAsTheyWere() throws Exception {
        Path log = dir.resolve("access.log");
        MonitorCliIT.Run gen = MonitorCliIT.run(
                dir, "generate", "-o", log.toString(), "--fast", "--combined", "--phases", "300s@20", "--seed", "11");
        assertEquals(0, gen.exit(), gen.stderr());
        Path plain = Files.writeString(dir.resolve("plain.cfg"), BASE);
        Path withMonitors = Files.writeString(dir.resolve("monitors.cfg"), BASE + MONITORS);

        MonitorCliIT.Run without = MonitorCliIT.run(dir, "-f", log.toString(), "-c", plain.toString(), "--once");
        assertEquals(0, without.exit(), without.stderr());
        MonitorCliIT.Run with = MonitorCliIT.run(dir, "-f", log.toString(), "-c", withMonitors.toString(), "--once");
        assertEquals(0, with.exit(), with.stderr());
        assertFalse(
                with.stderr().contains(" ERROR "),
                "no error on the operator's terminal (Kafka's admin client while changelogs are created): "
                        + with.stderr());

        List<JsonNode> records = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        for (String printed : with.stdout().lines().toList()) {
            if (!printed.startsWith("{")) {
                defaults.add(printed); // an alert of the default rule
                continue;
            }
            JsonNode record = Json.MAPPER.readTree(printed);
            records.add(record);
            if (!record.has("monitor")) {
                defaults.add(printed);
            }
        }
        assertEquals(without.stdout().lines().toList(), defaults, "the default statistics, untouched by monitors");

        List<Line> lines =
                Files.readAllLines(log).stream().map(StatsMonitorsIT::line).toList();
        Map<String, Long> errors = oracle(lines, l -> l.status() >= 400 && l.status() < 600, 10, false);
        assertTrue(errors.size() > 20, "errors in most windows: " + errors);
        assertEquals(errors, printed(records, "errors"), "[Stats errors]");
        Map<String, Long> scripts =
                oracle(lines, l -> l.agent().startsWith("curl") || l.agent().startsWith("Go-http"), 30, true);
        assertEquals(scripts, printed(records, "scripts"), "[Stats scripts], by method, in 30 s windows");
        Map<String, Long> apiWrites = oracle(
                lines,
                l -> l.section().equals("/api")
                        && (l.method().equals("POST") || l.method().equals("PUT")),
                10,
                false);
        assertTrue(apiWrites.size() > 10, "API writes in many windows: " + apiWrites);
        assertEquals(apiWrites, printed(records, "api_writes"), "[Stats api_writes]");

        long errorBytes = lines.stream()
                .filter(l -> l.status() >= 400)
                .mapToLong(Line::bytes)
                .sum();
        long printedErrorBytes = records.stream()
                .filter(r -> "errors".equals(r.path("monitor").asText(null)))
                .mapToLong(r -> r.get("bytes").asLong())
                .sum();
        assertEquals(errorBytes, printedErrorBytes, "the errors' bytes");
    }
}
