package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests of a live monitor compare: the lines written per window, and the windows printed so far. */
final class LiveWindows {

    private static final Pattern TIME = Pattern.compile("\\[([^\\]]+)\\]");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private LiveWindows() {}

    /** Lines written per window of {@code interval} seconds, by window start (epoch seconds). */
    static Map<Long, Long> perWindow(List<String> lines, int interval) {
        Map<Long, Long> counts = new TreeMap<>();
        for (String line : lines) {
            Matcher m = TIME.matcher(line);
            assertTrue(m.find(), line);
            long second = ZonedDateTime.parse(m.group(1), CLF_TIME).toEpochSecond();
            counts.merge(second - Math.floorMod(second, interval), 1L, Long::sum);
        }
        return counts;
    }

    /** Whether the output file shows a stats window ending after {@code second}. */
    static boolean windowsPast(Path out, long second) throws IOException {
        if (!Files.exists(out)) {
            return false;
        }
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("{")
                    && Instant.parse(Json.MAPPER
                                            .readTree(line)
                                            .get("window_end")
                                            .asText())
                                    .getEpochSecond()
                            > second) {
                return true;
            }
        }
        return false;
    }
}
