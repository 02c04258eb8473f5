package io.httpmon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.Topics;
import io.httpmon.common.config.MonitorSettings;
import io.httpmon.common.config.RequestField;
import io.httpmon.common.config.RequestFilter;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random monitors (one or two conditions each, sometimes a group_by) over random logs: every monitor's record of
 * every window, and of every group in it, equals what an oracle counts. The oracle decides each condition from how
 * the request was generated, not through {@link RequestFilter}.
 */
class StatsMonitorsPropertyTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final String[] SECTIONS = {"/api", "/login", "/static", "/"};
    private static final String[] METHODS = {"GET", "POST", "PUT"};
    private static final int[] STATUSES = {200, 200, 200, 301, 404, 500, 503};
    private static final String[] AGENTS = {"Mozilla/5.0", "Googlebot/2.1", "curl/8.0", "crawler-x"};

    @TempDir
    Path stateDir;

    /** What the generator chose for one request. */
    private record Generated(
            long second, String section, String path, String method, int status, String client, String agent) {
        HttpRequest request() {
            return TestRequest.at(T0.plusSeconds(second))
                    .method(method, path + "?q=1")
                    .status(status)
                    .host(client)
                    .userAgent(agent)
                    .bytes(7L)
                    .build();
        }
    }

    /** A condition as written in a config, and the oracle's own reading of it. */
    private record Case(String key, String value, Predicate<Generated> oracle) {}

    private static final List<Case> CASES = List.of(
            new Case("status", "5xx", g -> g.status() >= 500),
            new Case("status", "404, 3xx", g -> g.status() == 404 || g.status() / 100 == 3),
            new Case(
                    "section",
                    "/api, /login",
                    g -> g.section().equals("/api") || g.section().equals("/login")),
            new Case("method", "post", g -> g.method().equals("POST")),
            new Case("method", "!GET", g -> !g.method().equals("GET")),
            new Case("client", "10.0.1.0/24", g -> g.client().startsWith("10.0.1.")),
            new Case(
                    "user_agent",
                    "~bot|crawler",
                    g -> g.agent().contains("bot") || g.agent().contains("crawler")),
            new Case("user_agent", "!~bot", g -> !g.agent().contains("bot")),
            new Case("path", "/api/v2/", g -> g.path().startsWith("/api/v2/")),
            new Case(
                    "path",
                    "~^/static/.*\\.css$",
                    g -> g.path().startsWith("/static/") && g.path().endsWith(".css")));

    private static Generated generate(Random random, long second) {
        String section = SECTIONS[random.nextInt(SECTIONS.length)];
        String path = switch (section) {
            case "/api" -> random.nextBoolean() ? "/api/v2/users" : "/api/v1/items";
            case "/static" -> random.nextBoolean() ? "/static/site.css" : "/static/app.js";
            case "/" -> "/";
            default -> section;
        };
        return new Generated(
                second,
                section,
                path,
                METHODS[random.nextInt(METHODS.length)],
                STATUSES[random.nextInt(STATUSES.length)],
                "10.0." + random.nextInt(3) + "." + random.nextInt(5),
                AGENTS[random.nextInt(AGENTS.length)]);
    }

    private static String group(RequestField field, Generated g) {
        return switch (field) {
            case SECTION -> g.section();
            case STATUS -> Integer.toString(g.status());
            case METHOD -> g.method();
            default -> throw new IllegalArgumentException();
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyMonitorsRecordsEqualTheOraclesCounts(long seed) {
        Random random = new Random(seed);
        List<Generated> log = new ArrayList<>();
        long second = 0;
        for (int i = 0, n = 200 + random.nextInt(600); i < n; i++) {
            second += random.nextInt(3);
            log.add(generate(random, second));
        }
        List<MonitorSettings> monitors = new ArrayList<>();
        List<List<Case>> chosen = new ArrayList<>();
        RequestField[] groupings = {null, RequestField.SECTION, RequestField.STATUS, RequestField.METHOD};
        for (int m = 0; m < 3; m++) {
            List<Case> cases = new ArrayList<>();
            for (int c = 0, n = 1 + random.nextInt(2); c < n; c++) {
                cases.add(CASES.get(random.nextInt(CASES.size())));
            }
            chosen.add(cases);
            monitors.add(new MonitorSettings(
                    "m" + m,
                    random.nextBoolean() ? null : 30,
                    50, // more than any group count here: every group has a record, none is "other"
                    new RequestFilter(cases.stream()
                            .map(c -> RequestFilter.Condition.parse(RequestField.byKey(c.key()), c.value()))
                            .toList()),
                    groupings[random.nextInt(groupings.length)]));
        }
        StatsSettings settings =
                new StatsSettings(10, Duration.ofSeconds(2), 10, Duration.ofSeconds(1)).withMonitors(monitors);
        List<StatsWindow> out;
        try (PipelineDriver pipeline =
                new PipelineDriver(StatsTopology.build("p.", settings), "p.", stateDir, T0.plusSeconds(second))) {
            var stats = pipeline.output(Topics.STATS);
            for (int i = 0; i < log.size(); ) {
                int n = 1 + random.nextInt(40);
                pipeline.send(log.subList(i, Math.min(log.size(), i + n)).stream()
                        .map(Generated::request)
                        .toList());
                i += n;
            }
            pipeline.endOfInput(T0.plusSeconds(second + 100));
            out = stats.readValuesToList().stream().filter(Objects::nonNull).toList();
        }
        for (int m = 0; m < monitors.size(); m++) {
            MonitorSettings monitor = monitors.get(m);
            List<Case> cases = chosen.get(m);
            long size = monitor.intervalOr(10);
            Map<String, Long> truth = new TreeMap<>();
            for (Generated g : log) {
                if (cases.stream().allMatch(c -> c.oracle().test(g))) {
                    String window = T0.plusSeconds(Math.floorDiv(g.second(), size) * size)
                            .toString();
                    truth.merge(window + " all", 1L, Long::sum);
                    if (monitor.groupBy() != null) {
                        truth.merge(window + " " + group(monitor.groupBy(), g), 1L, Long::sum);
                    }
                }
            }
            Map<String, Long> counted = new TreeMap<>();
            out.stream()
                    .filter(w -> monitor.name().equals(w.monitor()) && w.hits() > 0)
                    .forEach(w ->
                            counted.put(w.windowStart() + " " + (w.group() == null ? "all" : w.group()), w.hits()));
            assertEquals(truth, counted, "seed " + seed + ", monitor " + monitor.filter() + " by " + monitor.groupBy());
        }
    }
}
