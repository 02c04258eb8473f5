package io.httpmon.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.UsageException;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.parser.LogLineParser;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LogGeneratorTest {

    private static final long START = 1_767_225_600L; // 2026-01-01T00:00:00Z

    @Test
    void fastModeWritesTheRateOfEachPhaseEverySecond() throws Exception {
        StringWriter out = new StringWriter();
        long written = GenerateCommand.writeFast(
                new LogGenerator(7, false), out, Phase.parse("3s@2,2s@10,2s@2.5"), START, Long.MAX_VALUE);
        Map<Long, Integer> perSecond = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            HttpRequest request = LogLineParser.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .request();
            perSecond.merge(request.timestamp() / 1000, 1, Integer::sum);
        }
        assertEquals(
                Map.of(START, 2, START + 1, 2, START + 2, 2, START + 3, 10, START + 4, 10, START + 5, 2, START + 6, 3),
                perSecond);
        assertEquals(31, written);
    }

    @Test
    void completionOrderWritesTheSameRequestsOutOfOrderByAtMostTheLongestDuration() throws Exception {
        StringWriter inOrder = new StringWriter();
        GenerateCommand.writeFast(new LogGenerator(3, true), inOrder, Phase.parse("120s@50"), START, Long.MAX_VALUE);
        StringWriter disordered = new StringWriter();
        GenerateCommand.writeFastInCompletionOrder(
                new LogGenerator(3, true),
                new CompletionOrder(3, 30_000),
                disordered,
                Phase.parse("120s@50"),
                START,
                Long.MAX_VALUE,
                -1);
        Map<Long, Integer> expected = new TreeMap<>();
        Map<Long, Integer> got = new TreeMap<>();
        for (String line : inOrder.toString().split("\n")) {
            expected.merge(time(line), 1, Integer::sum);
        }
        long newest = Long.MIN_VALUE;
        long mostBehind = 0;
        for (String line : disordered.toString().split("\n")) {
            long t = time(line);
            got.merge(t, 1, Integer::sum);
            newest = Math.max(newest, t);
            mostBehind = Math.max(mostBehind, newest - t);
        }
        assertEquals(expected, got, "the same requests per second");
        assertTrue(mostBehind > 10 && mostBehind <= 31, "out of order by up to the longest duration: " + mostBehind);
    }

    private static long time(String line) {
        return LogLineParser.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .request()
                        .timestamp()
                / 1000;
    }

    @Test
    void responseTimesEndEachLineAndASlowPhaseIsSlow() throws Exception {
        StringWriter out = new StringWriter();
        GenerateCommand.writeFast(
                new LogGenerator(5, true), out, Phase.parse("10s@50,10s@50~2000,10s@50"), START, Long.MAX_VALUE, 40);
        Map<Long, List<Double>> millisBySecond = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            assertTrue(line.matches(".*\" \\d+\\.\\d{3}"), "combined, then $request_time: " + line);
            double millis = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
            millisBySecond
                    .computeIfAbsent(time(line) - START, s -> new java.util.ArrayList<>())
                    .add(millis);
        }
        for (var second : millisBySecond.entrySet()) {
            List<Double> sorted = second.getValue().stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            boolean slow = second.getKey() >= 10 && second.getKey() < 20;
            assertTrue(
                    slow ? median > 1000 && median < 4000 : median > 20 && median < 80,
                    "second " + second.getKey() + ": median " + median + " ms");
        }
        assertEquals(30, millisBySecond.size());
        UsageException bad = assertThrows(UsageException.class, () -> Phase.parse("10s@50~slow"));
        assertTrue(bad.getMessage().contains("30s@2~1500"), bad.getMessage());
    }

    @Test
    void linesStopAtTheLimit() throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(
                25, GenerateCommand.writeFast(new LogGenerator(1, false), out, List.of(new Phase(0, 10)), START, 25));
        assertEquals(25, out.toString().split("\n").length);
    }

    @Test
    void linesAreRealisticAndParseAsCommonAndCombinedLogFormat() {
        for (boolean combined : new boolean[] {false, true}) {
            LogGenerator generator = new LogGenerator(3, combined);
            Set<String> sections = new HashSet<>();
            Set<Integer> statuses = new HashSet<>();
            Set<String> methods = new HashSet<>();
            Set<String> users = new HashSet<>();
            for (int i = 0; i < 5_000; i++) {
                var result =
                        LogLineParser.parse(generator.line(START).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertTrue(result.request() != null, () -> "not parsed: " + result.error());
                HttpRequest r = result.request();
                sections.add(r.section());
                statuses.add(r.status());
                methods.add(r.method());
                users.add(r.user());
                assertEquals(combined, r.userAgent() != null);
            }
            assertTrue(sections.size() >= 6, sections::toString);
            assertTrue(statuses.containsAll(Set.of(200, 304, 404, 500)), statuses::toString);
            assertTrue(methods.containsAll(Set.of("GET", "POST", "DELETE")), methods::toString);
            assertTrue(users.contains(null) && users.size() > 5, users::toString); // "-" is no user
        }
    }

    @Test
    void theSameSeedGivesTheSameLines() {
        assertEquals(new LogGenerator(42, false).line(START), new LogGenerator(42, false).line(START));
        assertNotEquals(new LogGenerator(42, false).line(START), new LogGenerator(43, false).line(START));
    }

    @Test
    void fractionalRatesKeepTheirAverage() {
        int total = 0;
        for (int s = 0; s < 100; s++) {
            total += LogGenerator.linesInSecond(2.5, s);
        }
        assertEquals(250, total);
    }

    @Test
    void phaseSpecMistakesAreUsageErrors() {
        assertEquals(List.of(new Phase(30, 2), new Phase(0, 40)), Phase.parse("30s@2, @40"));
        assertThrows(UsageException.class, () -> Phase.parse("30s"));
        assertThrows(UsageException.class, () -> Phase.parse("@2,30s@4"));
        assertThrows(UsageException.class, () -> Phase.parse("0s@2"));
        assertThrows(UsageException.class, () -> Phase.parse("5s@-1"));
    }
}
