package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.httpmon.broker.SharedBroker;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.DashboardSettings;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.RuleDefinition;
import io.httpmon.common.model.SecondCounts;
import io.httpmon.common.model.StatsWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (Debian's {@code chromium}, headless, over the DevTools protocol) against topics on
 * the real broker: the history is on the page at once, the numbers it shows are the records', the filters change
 * them, a new record shows live, a reload shows the history again, and a section with markup in it stays text.
 */
@ExtendWith(SharedBroker.class)
class DashboardIT {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String INJECTION = "/<img src=x onerror=alert(1)>";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static SecondCounts second(int s) {
        Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
        sections.put("/api", Map.of("2xx", 3L, "5xx", 1L));
        sections.put(INJECTION, Map.of("2xx", 2L));
        return new SecondCounts(T0.plusSeconds(s).toString(), 6, sections);
    }

    private static <V> void send(String topic, String key, V value, Serializer<V> serializer, Instant at)
            throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, 0, at.toEpochMilli(), key, value))
                    .get();
        }
    }

    private static String texts(String selector) {
        return "[...document.querySelectorAll('" + selector + "')].map(e => e.textContent).join('|')";
    }

    @Test
    void theBrowserShowsTheTopicsNumbersWithFiltersLiveUpdatesAndTheLogsMarkupAsText() throws Exception {
        assumeTrue(
                Files.isExecutable(Chromium.BINARY),
                Chromium.BINARY + " is not installed (apt-get install chromium; .ci/run does): skipped");
        String prefix = SharedBroker.uniquePrefix("dash");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 1);
        TopicAdmin.ensureTopics(
                kafka,
                List.of(Topics.HITS_PER_SECOND, Topics.STATS, Topics.ALERTS, Topics.ALERT_RULES),
                new StopSignal());
        try (KafkaProducer<String, SecondCounts> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedBroker.bootstrapServers()),
                new StringSerializer(),
                Topics.HITS_PER_SECOND.valueSerde().serializer())) {
            for (int s = 0; s < 120; s++) {
                producer.send(new ProducerRecord<>(
                        Topics.HITS_PER_SECOND.name(prefix),
                        0,
                        T0.plusSeconds(s).toEpochMilli(),
                        null,
                        second(s)));
            }
        }
        String end = T0.plusSeconds(120).toString();
        send(
                Topics.STATS.name(prefix),
                null,
                new StatsWindow(
                        null,
                        null,
                        end,
                        0,
                        T0.plusSeconds(110).toString(),
                        end,
                        60,
                        6.0,
                        List.of(),
                        List.of(),
                        Map.of("2xx", 50L, "5xx", 10L),
                        Map.of("/api", 40L, INJECTION, 20L),
                        Map.of(INJECTION + "/a", 20L),
                        Map.of("<b>bold</b>", 5L),
                        Map.of(),
                        12345,
                        7,
                        1,
                        2,
                        0,
                        1,
                        new StatsWindow.ResponseTimes(12.5, 80.1, 250.0, 900.0, 58),
                        Map.of(INJECTION, 300.0, "/api", 20.0),
                        4,
                        null),
                Topics.STATS.valueSerde().serializer(),
                T0.plusSeconds(120));
        AlertRule rule =
                new AlertRule("api_errors", AlertRule.Kind.ERROR_RATIO, 0.2, 60, "/api", null, 10, 0, null, null, null);
        send(
                Topics.ALERT_RULES.name(prefix),
                rule.name(),
                new RuleDefinition(rule, RuleDefinition.CLI),
                Topics.ALERT_RULES.valueSerde().serializer(),
                T0);
        String at = T0.plusSeconds(60).toString();
        send(
                Topics.ALERTS.name(prefix),
                rule.name(),
                new AlertEvent(
                        "api_errors",
                        AlertEvent.State.FIRING,
                        1,
                        1.0,
                        0.2,
                        60,
                        at,
                        at,
                        null,
                        "Error ratio alert api_errors - 5xx on /api = 25% over 60 s, triggered at " + at),
                Topics.ALERTS.valueSerde().serializer(),
                T0.plusSeconds(60));
        // A client_rate rule: two clients fired, one recovered; the row counts the alerts firing now.
        AlertRule flood =
                new AlertRule("flood", AlertRule.Kind.CLIENT_RATE, 20, 10, null, null, 0, 0, null, null, null, null, 5);
        send(
                Topics.ALERT_RULES.name(prefix),
                flood.name(),
                new RuleDefinition(flood, RuleDefinition.CLI),
                Topics.ALERT_RULES.valueSerde().serializer(),
                T0);
        for (String[] transition : new String[][] {
            {"10.0.0.1", "FIRING", "70"}, {"10.0.0.2", "FIRING", "71"}, {"10.0.0.1", "RESOLVED", "90"}
        }) {
            Map<String, String> labels = Map.of("alertname", "flood", "client", transition[0]);
            AlertEvent.State state = AlertEvent.State.valueOf(transition[1]);
            String second = T0.plusSeconds(Long.parseLong(transition[2])).toString();
            send(
                    Topics.ALERTS.name(prefix),
                    "flood",
                    new AlertEvent(
                            "flood",
                            state,
                            25,
                            25.0,
                            20,
                            10,
                            second,
                            second,
                            null,
                            "Client rate alert flood - client " + transition[0] + " " + transition[1],
                            "client_rate",
                            25.0,
                            transition[1].toLowerCase(java.util.Locale.ROOT),
                            labels,
                            Map.of("summary", "flood"),
                            second,
                            null,
                            AlertEvent.fingerprint(labels)),
                    Topics.ALERTS.valueSerde().serializer(),
                    T0.plusSeconds(Long.parseLong(transition[2])));
        }
        String floodSince = T0.plusSeconds(71).toString();
        // A traffic rule, drawn on the chart as its threshold (the history has 6 hits/s).
        AlertRule busy = new AlertRule("busy", 5, 60);
        send(
                Topics.ALERT_RULES.name(prefix),
                busy.name(),
                new RuleDefinition(busy, RuleDefinition.CLI),
                Topics.ALERT_RULES.valueSerde().serializer(),
                T0);
        // A [Stats api] monitor grouped by client: its window and its groups, as stats-service writes them.
        String window = "\"window_start\":\"" + T0.plusSeconds(110) + "\",\"window_end\":\"" + end + "\"";
        for (String json : List.of(
                "{\"monitor\":\"api\"," + window + ",\"hits\":42,\"tps\":4.2,\"status_codes\":{\"2xx\":40,"
                        + "\"5xx\":2},\"top_sections\":{\"/api\":42},\"response_time_ms\":{\"p50\":30.0,"
                        + "\"p90\":60.0,\"p99\":90.0,\"max\":95.0,\"count\":42}}",
                "{\"monitor\":\"api\",\"group\":\"10.0.0.1\"," + window + ",\"hits\":30}",
                "{\"monitor\":\"api\",\"group\":\"other\"," + window + ",\"hits\":12}")) {
            send(Topics.STATS.name(prefix), null, json, new StringSerializer(), T0.plusSeconds(120));
        }

        StopSignal stop = new StopSignal();
        DashboardFeed feed = new DashboardFeed(kafka);
        Thread feeder = new Thread(() -> feed.run(stop), "feed");
        feeder.start();
        try (DashboardServer server =
                        DashboardServer.start("127.0.0.1:0", feed, new DashboardSettings(true, List.of()));
                Chromium browser = Chromium.open(server.url(), dir.resolve("profile"))) {
            // History at once: 120 seconds of 6 requests.
            assertEquals("720", browser.await("document.getElementById('range-hits').textContent", "720", WAIT));
            assertEquals("0.8", browser.eval("document.getElementById('range-rate').textContent"), "720 / 900 s");
            System.out.println("DashboardIT: history on the page "
                    + browser.eval("document.body.dataset.historyShownMs") + " ms after navigation (120 s of history)");
            assertEquals("2xx 600, 5xx 120", browser.eval("document.getElementById('range-classes').textContent"));
            assertEquals("/api (480)|" + INJECTION + " (240)", browser.eval(texts("#range-sections li")));
            assertEquals("60", browser.eval("document.getElementById('latest-hits').textContent"));
            assertEquals("12345", browser.eval("document.getElementById('latest-bytes').textContent"));
            assertEquals("2", browser.eval("document.getElementById('latest-future').textContent"));
            assertEquals("4", browser.eval("document.getElementById('latest-dead').textContent"));
            assertEquals(
                    "p50 12.5 ms, p99 250 ms (max 900 ms, 58 timed)",
                    browser.eval("document.getElementById('latest-rt').textContent"));
            assertEquals(INJECTION + " (300)|/api (20)", browser.eval(texts("#latest-slowest li")));
            assertEquals("<b>bold</b> (5)", browser.eval(texts("#latest-users li")));
            assertEquals(
                    "api_errors|error_ratio|20% over 60 s on /api|firing since " + at + "|delete"
                            + "|flood|client_rate|20/s per client over 10 s|firing: 1 client(s) since " + floodSince
                            + "|delete|busy|high_traffic|5/s over 60 s|ok|delete",
                    browser.await(
                            texts("#rules td"),
                            "api_errors|error_ratio|20% over 60 s on /api|firing since " + at
                                    + "|delete|flood|client_rate|20/s per client over 10 s|firing: 1 client(s) since "
                                    + floodSince + "|delete|busy|high_traffic|5/s over 60 s|ok|delete",
                            WAIT));
            // The chart: busy's threshold as a line, the three alerts' firing spans shaded, time and value ticks,
            // a legend; the response times of the latest windows beside it.
            assertEquals(
                    "busy",
                    browser.eval(
                            "[...document.querySelectorAll('#chart line.threshold')].map(l => l.dataset.rule).join('|')"));
            assertEquals(
                    "api_errors|flood|flood",
                    browser.eval(
                            "[...document.querySelectorAll('#chart rect.firing-span')].map(r => r.dataset.rule).sort().join('|')"));
            assertEquals(
                    "09:47:00|09:50:45|09:54:30|09:58:14|10:01:59",
                    browser.eval(texts("#chart-x span")),
                    "five time ticks from the chart's first second to its last (15 minutes)");
            assertEquals("6.19/s|3.1/s|0/s", browser.eval(texts("#chart-y span")), "value ticks: 6 hits/s at the top");
            assertTrue(browser.eval("document.getElementById('chart-legend').textContent.replace(/\\s+/g, ' ')")
                    .contains("2xx 3xx 4xx 5xx 1xx other a rule's threshold an alert firing"));
            assertEquals("2", browser.eval("String(document.querySelectorAll('#rt-chart polyline').length)"));
            assertEquals(
                    "latest window: p50 12.5 ms, p99 250 ms",
                    browser.eval("document.getElementById('rt-caption').textContent"));
            // The log's markup is text: no element was made of it, no script ran.
            assertEquals("0", browser.eval("String(document.querySelectorAll('img, b').length)"));

            // A range picked on the chart (what dragging does): its seconds, and the statistics windows within it.
            browser.eval("httpmonPickRange('2026-11-25T10:01:40Z', '2026-11-25T10:01:59Z')");
            assertEquals("120", browser.eval("document.getElementById('range-hits').textContent"), "20 s of 6");
            assertEquals(
                    "2026-11-25T10:01:40Z to 2026-11-25T10:01:59Z (20 s)",
                    browser.eval("document.getElementById('range-span').textContent"));
            assertEquals(INJECTION + "/a (20)", browser.eval(texts("#range-resources li")));
            assertEquals("<b>bold</b> (5)", browser.eval(texts("#range-users li")));
            browser.eval("document.getElementById('range-reset').click()");
            assertEquals("720", browser.eval("document.getElementById('range-hits').textContent"));
            assertEquals("0", browser.eval("String(document.querySelectorAll('img, b').length)"));

            // Filters change the panels: a section, then without 2xx.
            browser.eval("(() => { const s = document.getElementById('section'); s.value = '/api';"
                    + " s.dispatchEvent(new Event('change')); })()");
            assertEquals("480", browser.eval("document.getElementById('range-hits').textContent"));
            assertEquals("/api (40)", browser.eval(texts("#latest-sections li")), "every panel follows the section");
            assertEquals("", browser.eval(texts("#latest-resources li")));
            assertEquals("api_errors|flood|busy", browser.eval(texts("#rules tr td:first-child")));
            browser.eval("(() => { const c = document.querySelector('#classes input[value=\"2xx\"]');"
                    + " c.checked = false; c.dispatchEvent(new Event('change')); })()");
            assertEquals("120", browser.eval("document.getElementById('range-hits').textContent"));
            assertEquals("5xx 120", browser.eval("document.getElementById('range-classes').textContent"));
            assertEquals("5xx 10", browser.eval("document.getElementById('latest-classes').textContent"));

            // Live: a new second arrives on the topic.
            send(
                    Topics.HITS_PER_SECOND.name(prefix),
                    null,
                    second(120),
                    Topics.HITS_PER_SECOND.valueSerde().serializer(),
                    T0.plusSeconds(120));
            assertEquals("121", browser.await("document.getElementById('range-hits').textContent", "121", WAIT));

            // The site goes quiet: windows without traffic keep coming while the pipeline's clock moves, and the page
            // follows them (its last seconds zeros) instead of stopping at the last hit. A [Stats NAME] monitor's
            // record is not the default statistics.
            String quietEnd = T0.plusSeconds(180).toString();
            send(
                    Topics.STATS.name(prefix),
                    null,
                    new StatsWindow(
                            quietEnd,
                            0,
                            T0.plusSeconds(170).toString(),
                            quietEnd,
                            0,
                            0,
                            List.of(),
                            List.of(),
                            Map.of("2xx", 0L, "3xx", 0L, "4xx", 0L, "5xx", 0L),
                            Map.of(),
                            Map.of(),
                            Map.of(),
                            Map.of(),
                            0,
                            0,
                            0,
                            0,
                            0,
                            1),
                    Topics.STATS.valueSerde().serializer(),
                    T0.plusSeconds(180));
            send(
                    Topics.STATS.name(prefix),
                    null,
                    new StatsWindow(
                                    quietEnd,
                                    0,
                                    T0.plusSeconds(170).toString(),
                                    quietEnd,
                                    999,
                                    99.9,
                                    List.of(),
                                    List.of(),
                                    Map.of("2xx", 999L),
                                    Map.of(),
                                    Map.of(),
                                    Map.of(),
                                    Map.of(),
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    1)
                            .of("bots", null),
                    Topics.STATS.valueSerde().serializer(),
                    T0.plusSeconds(180));
            String upTo = "up to " + T0.plusSeconds(179).toString().replace(".000Z", "Z");
            assertEquals(upTo, browser.await("document.getElementById('latest-second').textContent", upTo, WAIT));
            assertTrue(
                    browser.eval("document.getElementById('chart-caption').textContent")
                            .contains(" to " + T0.plusSeconds(179)),
                    "the chart reaches the clock: "
                            + browser.eval("document.getElementById('chart-caption').textContent"));
            assertEquals("0", browser.eval("document.getElementById('latest-hits').textContent"), "not the monitor's");

            // Another display instance serves its own page with the same history.
            DashboardFeed otherFeed = new DashboardFeed(kafka);
            Thread otherFeeder = new Thread(() -> otherFeed.run(stop), "other-feed");
            otherFeeder.start();
            try (DashboardServer other = DashboardServer.start("127.0.0.1:0", otherFeed, DashboardSettings.DEFAULT)) {
                var http = java.net.http.HttpClient.newHttpClient();
                String seconds = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    var history = io.httpmon.common.Json.MAPPER.readTree(http.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(other.url() + "api/history"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body());
                    seconds = history.get("seconds").toString();
                    if (history.get("seconds").size() == 121) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(feed.snapshot().get("seconds").toString(), seconds);
            }

            // A reload gets the history again, from the server's copy of the topics.
            browser.reload();
            assertEquals("726", browser.await("document.getElementById('range-hits').textContent", "726", WAIT));
            assertEquals("live", browser.await("document.getElementById('status').textContent", "live", WAIT));
            // Rules changed from the page, through the rules topic: a mistake names its line and key; a new rule
            // appears; a rule is deleted.
            browser.eval("(() => { document.getElementById('rule-text').value = '[Alert quiet]\\nkind = sleepy\\n';"
                    + " document.getElementById('rule-apply').click(); })()");
            assertEquals(
                    "page:2: [Alert quiet] kind = sleepy: expected high_traffic, low_traffic, error_ratio, "
                            + "status_rate, client_rate or latency",
                    browser.await(
                            "document.getElementById('rule-result').textContent",
                            "page:2: [Alert quiet] kind = sleepy: expected high_traffic, low_traffic, error_ratio, "
                                    + "status_rate, client_rate or latency",
                            WAIT));
            browser.eval("(() => { document.getElementById('rule-text').value = '[Alert quiet]\\nkind = low_traffic"
                    + "\\nthreshold = 1\\nwindow = 60\\n'; document.getElementById('rule-apply').click(); })()");
            assertEquals(
                    "api_errors|flood|busy|quiet",
                    browser.await(texts("#rules tr td:first-child"), "api_errors|flood|busy|quiet", WAIT));
            assertEquals("quiet: added", browser.eval("document.getElementById('rule-result').textContent.trim()"));
            browser.eval("document.querySelector('#rules tbody tr button').click()");
            assertEquals(
                    "flood|busy|quiet",
                    browser.await(texts("#rules tr td:first-child"), "flood|busy|quiet", WAIT),
                    "api_errors deleted");
            // Another site cannot: without the page's header, refused.
            var forged = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "api/rules/delete"))
                                    .header("Origin", "http://evil.example")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("quiet"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, forged.statusCode());

            // The monitor selector: [Stats api]'s latest window, its groups, its hits/s per window on the chart.
            browser.eval("(() => { const m = document.getElementById('monitor'); m.value = 'api';"
                    + " m.dispatchEvent(new Event('change')); })()");
            assertEquals(
                    "|api|bots",
                    browser.eval("[...document.getElementById('monitor').options].map(o => o.value).join('|')"));
            assertEquals("42", browser.eval("document.getElementById('latest-hits').textContent"));
            assertEquals("10.0.0.1 (30)|other (12)", browser.eval(texts("#latest-groups li")));
            assertEquals(
                    "latest window: p50 30 ms, p99 90 ms",
                    browser.eval("document.getElementById('rt-caption').textContent"));
            assertTrue(browser.eval("document.getElementById('chart-caption').textContent")
                    .contains("(monitor api, per window)"));
            assertEquals(
                    "2",
                    browser.eval("String(document.querySelectorAll('#chart rect.c2xx, #chart rect.c5xx').length)"));
            browser.eval("(() => { const m = document.getElementById('monitor'); m.value = '';"
                    + " m.dispatchEvent(new Event('change')); })()");
            // 1280 pixels wide, as Chromium runs here: no horizontal scroll bar.
            assertEquals(
                    "true",
                    browser.eval("String(document.documentElement.scrollWidth <= window.innerWidth)"),
                    browser.eval("document.documentElement.scrollWidth + ' > ' + window.innerWidth"));

            Path shot = Path.of("target", "dashboard.png");
            Files.write(shot, browser.screenshot());
            assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");

            // A dashboard started without [Dashboard] allow_rule_changes: its page shows the rules, no editor.
            try (DashboardServer readOnly = DashboardServer.start("127.0.0.1:0", feed, DashboardSettings.DEFAULT);
                    Chromium second = Chromium.open(readOnly.url(), dir.resolve("profile-read-only"))) {
                assertEquals(
                        "flood|busy|quiet|hidden|shown|0",
                        second.await(
                                texts("#rules tr td:first-child") + " + '|' + "
                                        + "(document.getElementById('rule-editor').hidden ? 'hidden' : 'shown') + '|' + "
                                        + "(document.getElementById('rules-read-only').hidden ? 'hidden' : 'shown') + '|' + "
                                        + "document.querySelectorAll('#rules button').length",
                                "flood|busy|quiet|hidden|shown|0",
                                WAIT));
            }
        } finally {
            stop.stop();
            feeder.join(10_000);
        }
    }
}
