package io.httpmon.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileConfigTest {

    private static final Path FILE = Path.of("config.cfg");

    private static FileConfig parse(String text) {
        return FileConfig.of(IniFile.parse(FILE, text));
    }

    @Test
    void theOriginalConfigWorksUnchanged() {
        FileConfig config = parse("""
                [Stats]
                interval = 10
                [Alerts]
                alert_1 = 30, 120
                alert_2 = 100, 20
                [Output]
                displayer = stdout
                # file_name = output_filename.txt
                [Logging]
                debug = False
                log_to_stdout = False
                log_to_file = http_monitor.log
                """);
        assertEquals(10, config.interval());
        assertEquals(List.of(new AlertRule("alert_1", 30, 120), new AlertRule("alert_2", 100, 20)), config.rules());
        assertEquals(OutputSettings.Destination.stdout, config.displayer());
        assertEquals(false, config.debug());
        assertEquals(false, config.logToStdout());
        assertEquals("http_monitor.log", config.logToFile());
        assertNull(config.bootstrapServers());
        assertNull(config.outputFile());
    }

    @Test
    void theShippedConfigFilesAreValid() {
        Path root = Path.of("..");
        FileConfig shipped = FileConfig.read(root.resolve("config.cfg"));
        assertEquals(2, shipped.rules().size());
        FileConfig template = FileConfig.read(root.resolve("config_template.cfg"));
        assertEquals(10, template.interval());
        assertEquals(List.of(AlertRule.DEFAULT.withName("alert_1")), template.rules());
        assertEquals(6, template.partitions());
        assertEquals("", template.logToFile());
    }

    @Test
    void withoutAnAlertsSectionRulesAreUnsetAndAnEmptySectionMeansNone() {
        assertNull(parse("[Stats]\ninterval = 5\n").rules());
        assertTrue(parse("[Alerts]\n").rules().isEmpty());
    }

    @Test
    void kafkaSectionAndBooleansInEveryFormPythonAccepts() {
        FileConfig config = parse("""
                [Logging]
                debug = yes
                log_to_stdout = off
                [Kafka]
                bootstrap_servers = kafka-1:9092, kafka-2:9092
                topic_prefix = prod.httpmon.
                partitions = 12
                client_config = client.properties
                data_dir = /var/lib/httpmon
                [Output]
                displayer = FILE
                file_name = out.txt
                format = json
                """);
        assertEquals(true, config.debug());
        assertEquals(false, config.logToStdout());
        assertEquals("kafka-1:9092, kafka-2:9092", config.bootstrapServers());
        assertEquals("prod.httpmon.", config.topicPrefix());
        assertEquals(12, config.partitions());
        assertEquals(Path.of("client.properties"), config.clientConfig());
        assertEquals(OutputSettings.Destination.file, config.displayer());
        assertEquals(OutputSettings.Format.json, config.format());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown section     | [Stats]\\ninterval = 10\\n[Colors]\\n | config.cfg:3: unknown section [Colors]; accepted: [Log], [Stats], [Stats NAME], [Alerts], [Alert NAME], [Output], [Logging], [Kafka], [Alertmanager], [Dashboard]
            unknown key         | [Stats]\\nintervall = 10\\n | config.cfg:2: [Stats] intervall: unknown key; [Stats] accepts grace, interval, max_future, max_lateness, source_idle, top
            threshold not a number | [Alerts]\\nalert_1 = ten, 120\\n | config.cfg:2: [Alerts] alert_1 = ten, 120: the threshold 'ten' is not a number (hits per second, e.g. 10 or 2.5) (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            negative window     | [Alerts]\\nalert_1 = 10, -5\\n | config.cfg:2: [Alerts] alert_1 = 10, -5: the window must be 1 to 86400 seconds, got -5 (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            one number          | [Alerts]\\nalert_1 = 10\\n | config.cfg:2: [Alerts] alert_1 = 10: expected 'THRESHOLD, WINDOW_SECONDS', e.g. '10, 120' (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            unknown displayer   | [Output]\\ndisplayer = printer\\n | config.cfg:2: [Output] displayer = printer: expected stdout, log or file
            file without name   | [Output]\\ndisplayer = file\\n | config.cfg:2: [Output] displayer = file: needs file_name = PATH in [Output], the file to append to
            interval not a number | [Stats]\\ninterval = soon\\n | config.cfg:2: [Stats] interval = soon: expected a whole number of seconds (0 or less: no statistics)
            bad boolean         | [Logging]\\ndebug = maybe\\n | config.cfg:2: [Logging] debug = maybe: expected True or False
            bad bootstrap       | [Kafka]\\nbootstrap_servers = localhost\\n | config.cfg:2: [Kafka] bootstrap_servers = localhost: expected HOST:PORT[,HOST:PORT...], or nothing for the embedded broker
            zero partitions     | [Kafka]\\npartitions = 0\\n | config.cfg:2: [Kafka] partitions = 0: expected a whole number from 1 to 1000
            future beyond Kafka | [Stats]\\nmax_future = 7200\\n | config.cfg:2: [Stats] max_future = 7200: expected a whole number of seconds, 0 to 3600 (Kafka's own limit is an hour)
            unknown kind        | [Alert x]\\nkind = ddos\\nthreshold = 1\\nwindow = 5\\n | config.cfg:2: [Alert x] kind = ddos: expected high_traffic, low_traffic, error_ratio, status_rate, client_rate or latency
            unknown rule key    | [Alert x]\\nthreshold = 1\\nwindow = 5\\nseverity = page\\n | config.cfg:4: [Alert x] severity: unknown key; an alert rule accepts for, kind, labels, max_alerts, min_hits, quantile, recover_above, recover_below, section, status, summary, threshold, window
            ratio above one     | [Alert x]\\nkind = error_ratio\\nthreshold = 5\\nwindow = 60\\n | config.cfg:3: [Alert x] threshold = 5: the threshold must be a share above 0, at most 1 (e.g. 0.05), got 5.0
            recovery above it   | [Alert x]\\nthreshold = 10\\nwindow = 60\\nrecover_below = 12\\n | config.cfg:4: [Alert x] recover_below = 12: recover_below must be above 0 and at most the threshold (10.0), got 12.0
            wrong recovery side | [Alert x]\\nkind = low_traffic\\nthreshold = 1\\nwindow = 60\\nrecover_below = 0.5\\n | config.cfg:5: [Alert x] recover_below = 0.5: a low_traffic rule recovers above a level: use recover_above
            status of traffic   | [Alert x]\\nthreshold = 1\\nwindow = 60\\nstatus = 5xx\\n | config.cfg:4: [Alert x] status = 5xx: status applies to error_ratio and status_rate rules, not high_traffic
            bad status class    | [Alert x]\\nkind = status_rate\\nthreshold = 1\\nwindow = 60\\nstatus = 503\\n | config.cfg:5: [Alert x] status = 503: status 503 is not a status class; accepted: 1xx, 2xx, 3xx, 4xx, 5xx (comma-separated)
            bad labels          | [Alert x]\\nthreshold = 1\\nwindow = 60\\nlabels = severity\\n | config.cfg:4: [Alert x] labels = severity: expected key=value, key=value (e.g. severity=page, team=web)
            alertname label     | [Alert x]\\nthreshold = 1\\nwindow = 60\\nlabels = alertname=y\\n | config.cfg:4: [Alert x] labels = alertname=y: label alertname: a label name is a letter or '_' then letters, digits or '_' (not alertname, which is the rule's name, nor __...)
            unknown placeholder | [Alert x]\\nthreshold = 1\\nwindow = 60\\nsummary = {hits} hits\\n | config.cfg:4: [Alert x] summary = {hits} hits: the summary's {hits} is not filled in; accepted: {value}, {threshold}, {section}, {time}, {client}
            bad section         | [Alert x]\\nthreshold = 1\\nwindow = 60\\nsection = api\\n | config.cfg:4: [Alert x] section = api: the section must be a path's first segment, e.g. /api, got api
            quantile of traffic | [Alert x]\\nthreshold = 1\\nwindow = 60\\nquantile = 0.9\\n | config.cfg:4: [Alert x] quantile = 0.9: quantile applies to latency rules, not high_traffic
            quantile above one  | [Alert x]\\nkind = latency\\nthreshold = 500\\nwindow = 60\\nquantile = 99\\n | config.cfg:5: [Alert x] quantile = 99: the quantile must be above 0 and at most 1 (e.g. 0.99), got 99.0
            no max alerts       | [Alert x]\\nkind = client_rate\\nthreshold = 20\\nwindow = 60\\nmax_alerts = 0\\n | config.cfg:5: [Alert x] max_alerts = 0: expected a whole number of clients, 1 to 1000
            max alerts latency  | [Alert x]\\nkind = latency\\nthreshold = 500\\nwindow = 60\\nmax_alerts = 5\\n | config.cfg:5: [Alert x] max_alerts = 5: max_alerts applies to client_rate rules, not latency
            client label        | [Alert x]\\nkind = client_rate\\nthreshold = 20\\nwindow = 60\\nlabels = client=me\\n | config.cfg:5: [Alert x] labels = client=me: label client is set by a client_rate rule on each of its alerts
            client in a section | [Alert x]\\nkind = client_rate\\nthreshold = 20\\nwindow = 60\\nsection = /api\\n | config.cfg:5: [Alert x] section = /api: a client_rate rule counts every request of a client, not a section's
            no window           | [Alert x]\\nthreshold = 1\\n | config.cfg:1: [Alert x] needs window = ...
            for too long        | [Alert x]\\nthreshold = 1\\nwindow = 60\\nfor = 1 day\\n | config.cfg:4: [Alert x] for = 1 day: expected a whole number of seconds, 0 to 86400
            same name twice     | [Alerts]\\nx = 1, 60\\n[Alert x]\\nthreshold = 1\\nwindow = 60\\n | config.cfg:3: [Alert x]: a rule named x is already defined on line 2
            bad rule name       | [Alert a b]\\nthreshold = 1\\nwindow = 60\\n | config.cfg:1: [Alert a b]: a rule's name is 1 to 100 letters, digits, '_', '.', ':' or '-'
            dashboard bool      | [Dashboard]\\nallow_rule_changes = maybe\\n | config.cfg:2: [Dashboard] allow_rule_changes = maybe: expected true or false
            dashboard hosts     | [Dashboard]\\nhosts = ok.example, evil/path\\n | config.cfg:2: [Dashboard] hosts = ok.example, evil/path: expected host names or addresses the page is opened under, separated by commas (e.g. monitor.example, 10.0.0.5)
            alertmanager no url | [Alertmanager]\\nresend_interval = 30\\n | config.cfg:1: [Alertmanager] needs url = http://HOST:9093
            alertmanager url    | [Alertmanager]\\nurl = localhost:9093\\n | config.cfg:2: [Alertmanager] url = localhost:9093: expected http://HOST:PORT[,http://HOST:PORT...], Alertmanager's address (its API is under /api/v2)
            unknown client      | [Log]\\nclient = x_real_ip\\n | config.cfg:2: [Log] client = x_real_ip: expected remote_addr or x_forwarded_for
            bad proxy block     | [Log]\\nclient = x_forwarded_for\\ntrusted_proxies = 10.0.0.0/8, lb.internal\\n | config.cfg:3: [Log] trusted_proxies = 10.0.0.0/8, lb.internal: expected addresses or blocks such as 10.0.0.0/8, 192.168.1.7, 2001:db8::/32, separated by commas
            prefix too long     | [Log]\\ntrusted_proxies = 10.0.0.0/33\\n | config.cfg:2: [Log] trusted_proxies = 10.0.0.0/33: expected addresses or blocks such as 10.0.0.0/8, 192.168.1.7, 2001:db8::/32, separated by commas
            unknown log key     | [Log]\\nformats = caddy\\n | config.cfg:2: [Log] formats: unknown key; [Log] accepts client, format, trusted_proxies
            monitor unknown key | [Stats api]\\nsection = /api\\nstatuses = 5xx\\n | config.cfg:3: [Stats api] statuses: unknown key; a [Stats NAME] monitor accepts interval, top, group_by, section, status, method, vhost, client, user_agent, path
            monitor bad regex   | [Stats bots]\\nuser_agent = ~bot(\\n | config.cfg:2: [Stats bots] user_agent = ~bot(: not a regular expression: Unclosed group at 4 (accepted: parts of the user agent, e.g. Googlebot; or ~REGEX; either after ! for the opposite)
            monitor bad status  | [Stats err]\\nstatus = 5xx, teapot\\n | config.cfg:2: [Stats err] status = 5xx, teapot: 'teapot' is neither a status class (4xx) nor a code (accepted: status classes or codes, e.g. 4xx, 5xx or 404; or ~REGEX; either after ! for the opposite)
            monitor bad block   | [Stats lan]\\nclient = 10.0.0.0/40\\n | config.cfg:2: [Stats lan] client = 10.0.0.0/40: '10.0.0.0/40': prefix length 0 to 32 (accepted: addresses or blocks, e.g. 10.0.0.0/8, 192.0.2.7; or ~REGEX; either after ! for the opposite)
            monitor bad group   | [Stats g]\\ngroup_by = country\\n | config.cfg:2: [Stats g] group_by = country: expected one of section, status, method, vhost, client, user_agent, path
            monitor bad top     | [Stats g]\\ntop = 0\\n | config.cfg:2: [Stats g] top = 0: expected a whole number, 1 to 1000
            monitor bad name    | [Stats a/b]\\nsection = /api\\n | config.cfg:1: [Stats a/b]: a monitor's name is letters, digits, '_' and '-' (at most 64)
            monitor twice       | [Stats api]\\nsection = /api\\n[Stats API]\\nsection = /v2\\n | config.cfg:3: [Stats API]: a monitor named API is already defined on line 1
            monitor empty value | [Stats api]\\nmethod = !\\n | config.cfg:2: [Stats api] method = !: nothing to match (accepted: methods, e.g. POST, PUT; or ~REGEX; either after ! for the opposite)
            """)
    void everyMistakeNamesTheFileTheLineAndTheKey(String name, String text, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void statsMonitorsAreReadInFileOrderWithTheirOwnIntervalTopFilterAndGroups() {
        FileConfig config = parse("""
                [Stats]
                interval = 10
                [Stats api_errors]
                section = /api, /login
                status = 5xx
                interval = 60
                [Stats bots]
                user_agent = ~bot|crawler
                group_by = client
                top = 3
                """);
        assertEquals(10, config.interval());
        List<MonitorSettings> monitors = config.monitors();
        assertEquals(
                List.of("api_errors", "bots"),
                monitors.stream().map(MonitorSettings::name).toList());
        MonitorSettings errors = monitors.get(0);
        assertEquals(60, errors.intervalOr(10));
        assertEquals(7, errors.topOr(7), "its own top when it has one, [Stats] top otherwise");
        assertNull(errors.groupBy());
        assertEquals("section = /api, /login, status = 5xx", errors.filter().toString());
        MonitorSettings bots = monitors.get(1);
        assertEquals(10, bots.intervalOr(10));
        assertEquals(3, bots.topOr(10));
        assertEquals(RequestField.CLIENT, bots.groupBy());
        assertEquals(List.of(), parse("[Stats]\ninterval = 5\n").monitors(), "none unless a [Stats NAME] says so");
    }

    @Test
    void theLogSectionSaysFormatClientAndProxies() {
        FileConfig config = parse("[Log]\nformat = %h %l %u %t \"%r\" %>s %b %D\nclient = x_forwarded_for\n"
                + "trusted_proxies = 10.0.0.0/8, 2001:db8::/32\n");
        assertEquals("%h %l %u %t \"%r\" %>s %b %D", config.log().format());
        assertTrue(
                config.log().formatWhere().startsWith("config.cfg:2: [Log] format"),
                config.log().formatWhere());
        assertTrue(config.log().fromForwardedFor());
        assertEquals(
                "[10.0.0.0/8, 2001:db8::/32]", config.log().trustedProxies().toString());
        assertEquals(LogSettings.NONE, parse("[Stats]\ninterval = 5\n").log());
    }

    @Test
    void aRuleSectionSetsEveryKey() {
        FileConfig config = parse("""
                [Alerts]
                alert_1 = 30, 120
                [Alert api_errors]
                kind = error_ratio
                threshold = 0.05
                window = 60
                section = /api
                status = 5xx, 4xx
                min_hits = 20
                for = 30
                recover_below = 0.02
                labels = severity=page, team=web
                summary = {value} of /api requests failed at {time}
                [Alert quiet]
                kind = low_traffic
                threshold = 1
                window = 300
                recover_above = 2
                [Alert flood]
                kind = client_rate
                threshold = 20
                window = 10
                max_alerts = 5
                [Alert slow_api]
                kind = latency
                threshold = 500
                window = 60
                section = /api
                quantile = 0.95
                recover_below = 300
                [Alertmanager]
                url = http://am-1:9093, http://am-2:9093
                resend_interval = 30
                """);
        assertEquals(
                List.of(
                        new AlertRule("alert_1", 30, 120),
                        new AlertRule(
                                "api_errors",
                                AlertRule.Kind.ERROR_RATIO,
                                0.05,
                                60,
                                "/api",
                                List.of("4xx", "5xx"),
                                20,
                                30,
                                0.02,
                                java.util.Map.of("severity", "page", "team", "web"),
                                "{value} of /api requests failed at {time}"),
                        new AlertRule(
                                "quiet",
                                AlertRule.Kind.LOW_TRAFFIC,
                                1,
                                300,
                                null,
                                null,
                                AlertRule.DEFAULT_MIN_HITS,
                                0,
                                2.0,
                                null,
                                null),
                        new AlertRule(
                                "flood",
                                AlertRule.Kind.CLIENT_RATE,
                                20,
                                10,
                                null,
                                null,
                                AlertRule.DEFAULT_MIN_HITS,
                                0,
                                null,
                                null,
                                null,
                                null,
                                5),
                        new AlertRule(
                                "slow_api",
                                AlertRule.Kind.LATENCY,
                                500,
                                60,
                                "/api",
                                null,
                                AlertRule.DEFAULT_MIN_HITS,
                                0,
                                300.0,
                                null,
                                null,
                                0.95,
                                null)),
                config.rules());
        assertEquals(
                0.99,
                parse("[Alert p]\nkind = latency\nthreshold = 1\nwindow = 5\n")
                        .rules()
                        .get(0)
                        .quantile());
        assertEquals(
                AlertRule.DEFAULT_MAX_ALERTS,
                parse("[Alert c]\nkind = client_rate\nthreshold = 1\nwindow = 5\n")
                        .rules()
                        .get(0)
                        .maxAlerts());
        assertEquals(
                List.of(java.net.URI.create("http://am-1:9093"), java.net.URI.create("http://am-2:9093")),
                config.alertmanager().urls());
        assertEquals(java.time.Duration.ofSeconds(30), config.alertmanager().resendInterval());
        assertEquals(
                java.util.Map.of("alertname", "api_errors", "severity", "page", "team", "web"),
                config.rules().get(1).allLabels());
    }

    @Test
    void aRuleSurvivesItsJsonRoundTripOnTheRulesTopic() throws Exception {
        AlertRule rule = new AlertRule(
                "api_errors",
                AlertRule.Kind.ERROR_RATIO,
                0.05,
                60,
                "/api",
                List.of("5xx"),
                20,
                30,
                0.02,
                java.util.Map.of("severity", "page"),
                "{value} failed");
        var serde = io.httpmon.common.JsonSerde.of(io.httpmon.common.model.RuleDefinition.class);
        var definition = new io.httpmon.common.model.RuleDefinition(rule, "cli");
        byte[] json = serde.serialize("t", definition);
        assertEquals(definition, serde.deserialize("t", json));
        var latency = new io.httpmon.common.model.RuleDefinition(
                new AlertRule("p95", AlertRule.Kind.LATENCY, 800, 60, "/api", null, 5, 0, null, null, null, 0.95, null),
                "cli");
        assertEquals(latency, serde.deserialize("t", serde.serialize("t", latency)));
        var flood = new io.httpmon.common.model.RuleDefinition(
                new AlertRule("flood", AlertRule.Kind.CLIENT_RATE, 20, 10, null, null, 0, 0, null, null, null, null, 3),
                "cli");
        assertEquals(flood, serde.deserialize("t", serde.serialize("t", flood)));
        assertTrue(new String(json, java.nio.charset.StandardCharsets.UTF_8).contains("\"kind\":\"error_ratio\""));
    }

    @Test
    void dashboardCredentialsAreReadFromTheirFileNextToTheConfig(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("dashboard.users"), "# who may edit rules\n\nops:s3cret:x\nlead:other\n");
        Path config = Files.writeString(dir.resolve("c.cfg"), "[Dashboard]\ncredentials_file = dashboard.users\n");
        DashboardSettings dashboard = FileConfig.read(config).dashboard();
        assertEquals(java.util.Map.of("ops", "s3cret:x", "lead", "other"), dashboard.credentials());
        assertTrue(dashboard.ruleChanges(), "editing is on, behind the credentials");

        Files.writeString(dir.resolve("bad.users"), "ops:fine\njust-a-token\n");
        Files.writeString(config, "[Dashboard]\ncredentials_file = bad.users\n");
        UsageException bad = assertThrows(UsageException.class, () -> FileConfig.read(config));
        assertEquals(
                config + ":2: [Dashboard] credentials_file = bad.users: " + dir.resolve("bad.users")
                        + ":2: expected user:password (the password is not shown)",
                bad.getMessage());

        Files.writeString(dir.resolve("empty.users"), "# nobody yet\n");
        Files.writeString(config, "[Dashboard]\ncredentials_file = empty.users\n");
        assertTrue(assertThrows(UsageException.class, () -> FileConfig.read(config))
                .getMessage()
                .endsWith("empty.users holds no user:password line"));

        Files.writeString(config, "[Dashboard]\ncredentials_file = /nonexistent/users\n");
        assertEquals(
                config + ":2: [Dashboard] credentials_file = /nonexistent/users: cannot read /nonexistent/users "
                        + "(NoSuchFileException)",
                assertThrows(UsageException.class, () -> FileConfig.read(config))
                        .getMessage());
    }

    @Test
    void readsFromDisk(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.cfg"), "[Stats]\ninterval = 3\n");
        assertEquals(3, FileConfig.read(file).interval());
    }
}
