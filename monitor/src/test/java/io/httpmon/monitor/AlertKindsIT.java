package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.generator.GenerateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency and client_rate alert kinds end to end through {@code ./httpmon --once}: the printed transitions equal
 * what this test works out from the file itself (its own regex, brute force over each window), a slow phase from
 * {@code ./httpmon generate}, one client flooding among hundreds, and more flooding clients than max_alerts.
 */
class AlertKindsIT {

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final Pattern LINE = Pattern.compile("^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] .*?(?: (\\d+\\.\\d{3}))?$");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private record Line(String client, long second, double millis) {}

    private static List<Line> read(Path log) throws Exception {
        List<Line> lines = new ArrayList<>();
        for (String text : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(text);
            assertTrue(m.matches(), text);
            lines.add(new Line(
                    m.group(1),
                    ZonedDateTime.parse(m.group(2), CLF_TIME).toEpochSecond(),
                    m.group(3) == null ? -1 : Double.parseDouble(m.group(3)) * 1000));
        }
        return lines;
    }

    private static String at(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    @Test
    void aSlowPhaseInAGeneratedLogFiresTheLatencyRuleAndItRecovers() throws Exception {
        Path log = dir.resolve("timed.log");
        MonitorCliIT.Run gen = MonitorCliIT.run(
                dir,
                "generate",
                "-o",
                log.toString(),
                "--fast",
                "--response-times",
                "40",
                "--phases",
                "60s@20,30s@20~2000,60s@20",
                "--seed",
                "3");
        assertEquals(0, gen.exit(), gen.stderr());
        Path config = Files.writeString(dir.resolve("latency.cfg"), """
                [Log]
                format = %s
                [Stats]
                interval = 0
                [Alert slow]
                kind = latency
                threshold = 500
                window = 10
                quantile = 0.99
                [Output]
                displayer = stdout
                """.formatted(GenerateCommand.FORMAT_WITH_TIMES));
        MonitorCliIT.Run run = MonitorCliIT.run(dir, "-f", log.toString(), "-c", config.toString(), "--once");
        assertEquals(0, run.exit(), run.stderr());

        // The oracle: the p99 of the times over each 10 s window, from the file.
        List<Line> lines = read(log);
        Map<Long, List<Double>> bySecond = new TreeMap<>();
        lines.forEach(l ->
                bySecond.computeIfAbsent(l.second(), s -> new ArrayList<>()).add(l.millis()));
        long first = lines.get(0).second();
        long last = lines.get(lines.size() - 1).second();
        List<String> expected = new ArrayList<>();
        boolean firing = false;
        for (long s = first; s <= last; s++) {
            List<Double> window = new ArrayList<>();
            for (long k = s - 9; k <= s; k++) {
                window.addAll(bySecond.getOrDefault(k, List.of()));
            }
            if (window.size() < 10) {
                continue;
            }
            window.sort(null);
            boolean over = window.get((int) Math.ceil(0.99 * window.size()) - 1) >= 500;
            if (over != firing) {
                firing = over;
                expected.add((over ? "fires " : "recovers ") + at(s));
            }
        }
        assertEquals(List.of("fires " + at(first + 60), "recovers " + at(first + 99)), expected, "the oracle");

        List<String> printed = new ArrayList<>();
        Pattern fired = Pattern.compile("Latency alert slow - p99 = ([0-9.]+) ms over 10 s, triggered at (\\S+)");
        Pattern recovered = Pattern.compile("Latency alert slow recovered at (\\S+)");
        for (String out : run.stdout().lines().toList()) {
            Matcher f = fired.matcher(out);
            Matcher r = recovered.matcher(out);
            if (f.matches()) {
                printed.add("fires " + f.group(2));
                assertTrue(Double.parseDouble(f.group(1)) >= 500, out);
            } else if (r.matches()) {
                printed.add("recovers " + r.group(1));
            }
        }
        assertEquals(expected, printed, run.stdout());
    }

    @Test
    void oneFloodingClientAmongHundredsAndAFloodBeyondMaxAlertsArePrintedAsTheFileImplies() throws Exception {
        // 300 ordinary clients, one request each every 5 s; 203.0.113.9 at 30/s from 40 s to 69 s; twenty bots at
        // 6/s from 100 s to 119 s, against max_alerts = 5.
        Path log = dir.resolve("flood.log");
        DateTimeFormatter clf = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC);
        StringBuilder text = new StringBuilder();
        long start = T0.getEpochSecond();
        for (long s = 0; s < 160; s++) {
            String time = clf.format(T0.plusSeconds(s));
            List<String> clients = new ArrayList<>();
            for (int i = (int) (s % 5); i < 300; i += 5) {
                clients.add("10.0." + (i / 200) + "." + (i % 200));
            }
            for (int i = 0; s >= 40 && s < 70 && i < 30; i++) {
                clients.add("203.0.113.9");
            }
            for (int b = 0; s >= 100 && s < 120 && b < 20; b++) {
                for (int i = 0; i < 6; i++) {
                    clients.add("198.51.100." + (10 + b));
                }
            }
            for (String c : clients) {
                text.append(c)
                        .append(" - - [")
                        .append(time)
                        .append("] \"GET /pages/a HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"\n");
            }
        }
        Files.writeString(log, text);
        Path config = Files.writeString(dir.resolve("flood.cfg"), """
                [Stats]
                interval = 0
                [Alert flood]
                kind = client_rate
                threshold = 5
                window = 10
                max_alerts = 5
                [Output]
                displayer = stdout
                """);
        MonitorCliIT.Run run = MonitorCliIT.run(dir, "-f", log.toString(), "-c", config.toString(), "--once");
        assertEquals(0, run.exit(), run.stderr());

        // The oracle: each client's average over 10 s against 5/s, second by second, from the file.
        Map<String, long[]> perClient = new TreeMap<>();
        for (Line l : read(log)) {
            perClient.computeIfAbsent(l.client(), c -> new long[160])[(int) (l.second() - start)]++;
        }
        Map<Long, List<String>> overAt = new TreeMap<>();
        Map<String, List<String>> expected = new TreeMap<>();
        perClient.forEach((client, counts) -> {
            boolean over = false;
            for (int s = 0; s < 160; s++) {
                long sum = 0;
                for (int k = Math.max(0, s - 9); k <= s; k++) {
                    sum += counts[k];
                }
                if (sum >= 50 != over) {
                    over = sum >= 50;
                    expected.computeIfAbsent(client, c -> new ArrayList<>())
                            .add((over ? "fires " : "recovers ") + at(start + s));
                }
                if (over) {
                    overAt.computeIfAbsent((long) s, x -> new ArrayList<>()).add(client);
                }
            }
        });
        assertEquals(21, expected.size(), "the flooder and the twenty bots: " + expected.keySet());
        // At most five clients at once: the flooder alone, then the first five bots in order.
        Map<String, List<String>> alerted = new TreeMap<>();
        alerted.put("203.0.113.9", expected.get("203.0.113.9"));
        expected.keySet().stream()
                .filter(c -> c.startsWith("198.51.100."))
                .sorted()
                .limit(5)
                .forEach(c -> alerted.put(c, expected.get(c)));
        int mostAtOnce = overAt.values().stream().mapToInt(List::size).max().orElse(0);
        assertEquals(20, mostAtOnce, "the oracle: all twenty bots over at once");

        Map<String, List<String>> printed = new TreeMap<>();
        List<String> beyond = new ArrayList<>();
        Pattern fired =
                Pattern.compile("Client rate alert flood - client (\\S+) = [0-9.]+/s over 10 s, triggered at (\\S+)");
        Pattern recovered = Pattern.compile("Client rate alert flood - client (\\S+) recovered at (\\S+)");
        for (String out : run.stdout().lines().toList()) {
            Matcher f = fired.matcher(out);
            Matcher r = recovered.matcher(out);
            if (f.matches()) {
                printed.computeIfAbsent(f.group(1), c -> new ArrayList<>()).add("fires " + f.group(2));
            } else if (r.matches()) {
                printed.computeIfAbsent(r.group(1), c -> new ArrayList<>()).add("recovers " + r.group(2));
            } else if (out.startsWith("Client rate alert flood - ")) {
                beyond.add(out);
            }
        }
        assertEquals(alerted, printed, run.stdout());
        // The other fifteen bots: one alert, from when they went over to when they fell back, as the first five.
        List<String> bot = expected.get("198.51.100.10");
        assertEquals(
                List.of(
                        "Client rate alert flood - 15 more clients at or above 5/s than max_alerts = 5, triggered at "
                                + bot.get(0).substring("fires ".length()),
                        "Client rate alert flood - no more clients beyond max_alerts, recovered at "
                                + bot.get(1).substring("recovers ".length())),
                beyond);
    }
}
