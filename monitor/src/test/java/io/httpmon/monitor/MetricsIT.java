package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service, its own process with {@code --http}, scraped by the real Prometheus (Debian's {@code prometheus},
 * installed by {@code .ci/run}): what Prometheus stores is what the services did (lines read, requests parsed, dead
 * letters, windows, alert transitions), with Kafka's client metrics, the lag per stage and the JVM's. And
 * {@code /health}: ready once connected (and RUNNING, for Kafka Streams); 503 with the reason while the broker is
 * not there.
 */
@ExtendWith(SharedBroker.class)
class MetricsIT {

    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final String PROMTOOL = "/usr/bin/promtool";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final List<String> SERVICES = List.of("reader", "parser", "stats", "alert", "display");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static Path jar(String service) {
        String module = service + "-service";
        return Path.of("..", module, "target", module + ".jar");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void prometheusScrapesWhatEveryServiceDid() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PROMETHEUS)), PROMETHEUS + " is not installed (Debian: prometheus)");
        // 30 seconds of traffic that ended a minute ago: 20 requests a second, and 7 lines that are not requests.
        Path log = dir.resolve("access.log");
        Instant start = Instant.now().minusSeconds(90);
        StringBuilder lines = new StringBuilder();
        int requests = 0;
        for (int s = 0; s < 30; s++) {
            for (int i = 0; i < 20; i++) {
                lines.append("10.0.0.")
                        .append(i)
                        .append(" - - [")
                        .append(CLF.format(start.plusSeconds(s)))
                        .append("] \"GET /api/item/")
                        .append(i)
                        .append(" HTTP/1.1\" 200 512\n");
                requests++;
            }
            if (s % 5 == 0) {
                lines.append("not a request ").append(s).append('\n');
            }
        }
        lines.append("not a request at the end\n");
        Files.writeString(log, lines);
        int deadLetters = 7;
        assertEquals(600, requests);

        // A grouped statistics monitor beside the default one: its traffic metrics per group, bounded by its top.
        Path monitors = Files.writeString(
                dir.resolve("monitors.cfg"), "[Stats api]\nsection = /api\ngroup_by = client\ntop = 5\n");
        String prefix = SharedBroker.uniquePrefix("metrics");
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            for (String service : SERVICES) {
                int port = freePort();
                ports.put(service, port);
                List<String> args = Services.kafkaArgs(prefix, 2, "--http", "127.0.0.1:" + port);
                switch (service) {
                    case "reader" -> args.addAll(List.of("-f", log.toString(), "--from-beginning"));
                    case "stats" ->
                        args.addAll(List.of(
                                "-c",
                                monitors.toString(),
                                "--interval",
                                "10",
                                "--state-dir",
                                dir.resolve("stats").toString()));
                    case "alert" ->
                        args.addAll(List.of(
                                "--rule",
                                "busy=5,10",
                                "--state-dir",
                                dir.resolve("alert").toString()));
                    case "display" ->
                        args.addAll(List.of(
                                "-c",
                                monitors.toString(),
                                "--from-beginning",
                                "--output",
                                "file",
                                "--file",
                                dir.resolve("out.txt").toString()));
                    default -> {}
                }
                processes.add(ServiceProcess.start(jar(service), "metrics-" + service, args));
            }
            for (String service : SERVICES) {
                JsonNode health = awaitReady(ports.get(service));
                assertEquals("ready", health.get("status").asText(), service + ": " + health);
            }

            int prometheusPort = freePort();
            StringBuilder config =
                    new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n" + "scrape_configs:\n");
            ports.forEach((service, port) -> config.append("  - job_name: ")
                    .append(service)
                    .append("\n    static_configs:\n      - targets: ['127.0.0.1:")
                    .append(port)
                    .append("']\n"));
            Path configFile = dir.resolve("prometheus.yml");
            Files.writeString(configFile, config);
            processes.add(startPrometheus(configFile, prometheusPort));
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";

            awaitValue(api, "count(up == 1)", v -> v == SERVICES.size());
            awaitValue(api, "sum(httpmon_reader_lines_total)", v -> v == 600 + 7);
            awaitValue(api, "sum(httpmon_parser_requests_total)", v -> v == 600);
            awaitValue(api, "sum(httpmon_parser_dead_letters_total)", v -> v == deadLetters);
            awaitValue(api, "sum(httpmon_stats_requests_total{job=\"stats\"})", v -> v == 600);
            awaitValue(api, "sum(httpmon_stats_windows_total{job=\"stats\"})", v -> v >= 3);
            awaitValue(api, "sum(httpmon_stats_window_latency_seconds_count{job=\"stats\"})", v -> v >= 3);
            awaitValue(
                    api,
                    "sum(httpmon_alert_transitions_total{job=\"alert\",rule=\"busy\",state=\"firing\"})",
                    v -> v == 1);
            awaitValue(api, "sum(httpmon_display_records_total{job=\"display\",kind=\"alert\"})", v -> v >= 1);
            // The traffic itself, from the windows the display wrote: every request once, by monitor and class.
            awaitValue(
                    api,
                    "sum(httpmon_http_requests_total{job=\"display\",monitor=\"default\",status_class=\"2xx\"})",
                    v -> v == 600);
            awaitValue(api, "sum(httpmon_http_requests_total{monitor=\"api\"})", v -> v == 600);
            awaitValue(api, "sum(httpmon_http_response_bytes_total{monitor=\"default\"})", v -> v == 600 * 512);
            // The grouped monitor: its 20 clients as at most its top 5 and "other" per window, adding up.
            awaitValue(api, "sum(httpmon_http_group_requests_total{monitor=\"api\"})", v -> v == 600);
            awaitValue(api, "sum(httpmon_http_group_requests_total{monitor=\"api\",group=\"other\"})", v -> v > 0);
            awaitValue(api, "count(httpmon_http_group_requests_total{monitor=\"api\"})", v -> v <= 2 * (5 + 1));
            // Each service exports its own stage's metrics only: a sum over jobs counts each once.
            awaitValue(api, "count(httpmon_reader_lines_total)", v -> v == 1);
            awaitValue(api, "count(httpmon_stats_windows_total)", v -> v == 1);
            awaitValue(api, "count by (topic) (httpmon_consumer_lag_records{job=\"parser\"})", v -> v == 1);
            // Kafka's own metrics, by stage: what the parser consumed and sent, the stats' stream thread, lag.
            awaitValue(api, "sum(kafka_consumer_fetch_manager_records_consumed_total{job=\"parser\"})", v -> v > 0);
            awaitValue(api, "sum(kafka_producer_record_send_total{job=\"reader\"})", v -> v > 0);
            awaitValue(api, "sum(kafka_stream_thread_process_total{job=\"stats\"})", v -> v > 0);
            awaitValue(api, "count(httpmon_consumer_lag_records{job=\"parser\"})", v -> v >= 1);
            awaitValue(api, "sum(httpmon_service_ready)", v -> v == SERVICES.size());
            awaitValue(api, "count(jvm_memory_used_bytes{area=\"heap\"})", v -> v == SERVICES.size());
            // Every service's names as Prometheus' own linter wants them (httpmon's and Kafka's: seconds, no
            // abbreviated units, no _count on a gauge).
            for (var service : ports.entrySet()) {
                String text = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + service.getValue() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                Process promtool = new ProcessBuilder(PROMTOOL, "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
                try (var in = promtool.getOutputStream()) {
                    in.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                String said =
                        new String(promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, promtool.waitFor(), service.getKey() + ": promtool check metrics says\n" + said);
            }

            // httpmon status: every stage there, nothing left to consume once the log is done.
            JsonNode status = awaitStatus(prefix);
            Map<String, JsonNode> stages = new LinkedHashMap<>();
            status.path("stages").forEach(stage -> stages.put(stage.get("stage").asText(), stage));
            assertEquals(List.of("reader", "parser", "stats", "alert", "display"), List.copyOf(stages.keySet()));
            for (String stage : List.of("parser", "stats", "alert")) {
                assertEquals(1, stages.get(stage).get("instances").asInt(), stage + ": " + status);
                assertEquals("Stable", stages.get(stage).get("state").asText(), stage + ": " + status);
            }

            // The parser stopped, and the log goes on: status names the stage, and what waits for it.
            assertEquals(0, processes.get(SERVICES.indexOf("parser")).stop(), "parser exit code");
            Files.writeString(
                    log,
                    "10.0.0.1 - - [" + CLF.format(Instant.now()) + "] \"GET / HTTP/1.1\" 200 1\n",
                    java.nio.file.StandardOpenOption.APPEND);
            JsonNode down = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                down = stage(Services.status(prefix), "parser");
                if (down.get("verdict").asText().equals("down")
                        && down.get("lag").asLong() > 0) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals("down", down.get("verdict").asText(), "stopped parser: " + down);
            assertEquals(0, down.get("instances").asInt(), "stopped parser: " + down);
            assertTrue(down.get("lag").asLong() > 0, "its input waits: " + down);
        } finally {
            for (ServiceProcess p : processes) {
                p.close();
            }
        }
    }

    @Test
    void healthSaysNotReadyAndWhyWhileKafkaIsNotThere() throws Exception {
        int port = freePort();
        int nowhere = freePort();
        // A service honours [Logging] log_to_file as the monitor does.
        Path logFile = dir.resolve("parser.log");
        Path config = dir.resolve("parser.cfg");
        Files.writeString(config, "[Logging]\nlog_to_file = " + logFile + "\n");
        try (ServiceProcess parser = ServiceProcess.start(
                jar("parser"),
                "metrics-parser-nowhere",
                List.of(
                        "--bootstrap-servers",
                        "127.0.0.1:" + nowhere,
                        "--http",
                        "127.0.0.1:" + port,
                        "-c",
                        config.toString()))) {
            HttpResponse<String> response = awaitAnswer(port);
            assertEquals(503, response.statusCode(), response.body());
            JsonNode health = Json.MAPPER.readTree(response.body());
            assertTrue(health.get("status").asText().matches("starting|not ready"), response.body());
            // /metrics answers all the same: an operator sees a service that runs but is not ready.
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("httpmon_parser_requests_total 0"), metrics.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String why = "waiting for Kafka at 127.0.0.1:" + nowhere + " to accept connections";
            while (!health.path("checks").toString().contains(why) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                health = Json.MAPPER.readTree(awaitAnswer(port).body());
            }
            assertTrue(health.path("checks").toString().contains(why), "says why: " + health);
            String waiting = "Waiting for Kafka at 127.0.0.1:" + nowhere;
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.readString(logFile).contains(waiting) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(
                    Files.readString(logFile).contains(waiting), "the log file has it: " + Files.readString(logFile));
            assertTrue(parser.output().contains(waiting), "a warning reaches stderr too: " + parser.output());
            assertTrue(
                    parser.output().contains("127.0.0.1:" + nowhere + ": connection refused (nothing listens there)"),
                    "with what the network says: " + parser.output());
        }
    }

    private static JsonNode stage(JsonNode status, String name) {
        for (JsonNode stage : status.path("stages")) {
            if (stage.get("stage").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("no stage " + name + ": " + status);
    }

    /** {@code httpmon status --json} until every group has consumed all of its input. */
    private static JsonNode awaitStatus(String prefix) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode status = Services.status(prefix);
            // Caught up: at most the idle marker a live reader sends each second on each of the 2 partitions.
            boolean caughtUp = true;
            for (JsonNode stage : status.path("stages")) {
                caughtUp &= stage.get("lag").isNull()
                        || stage.get("lag").asLong() <= 2
                                && stage.get("verdict").asText().matches("ok|idle");
            }
            if (caughtUp || System.nanoTime() > deadline) {
                assertTrue(caughtUp, "every stage caught up: " + status);
                return status;
            }
            Thread.sleep(500);
        }
    }

    private ServiceProcess startPrometheus(Path config, int port) throws IOException {
        List<String> command = List.of(
                PROMETHEUS,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port);
        return ServiceProcess.startCommand(command, "prometheus");
    }

    private HttpResponse<String> awaitAnswer(int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private JsonNode awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response = awaitAnswer(port);
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            response = awaitAnswer(port);
        }
        return Json.MAPPER.readTree(response.body());
    }

    /** Waits until Prometheus answers {@code query} with one value that {@code expected} accepts. */
    private void awaitValue(String api, String query, DoublePredicate expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                JsonNode result = Json.MAPPER.readTree(last).path("data").path("result");
                if (result.size() == 1
                        && expected.test(result.get(0).path("value").get(1).asDouble())) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // Prometheus still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Prometheus: " + query + " -> " + last);
    }
}
