package io.httpmon.common.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.httpmon.common.Json;
import io.httpmon.common.UsageException;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service's HTTP endpoint for operators ({@code --http [ADDR:]PORT}): {@code /metrics} in the Prometheus text
 * format (and OpenMetrics when asked), {@code /health} (200 when ready, 503 with the reason otherwise, JSON either
 * way). The display adds its dashboard to the same server.
 */
public final class OpsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    private OpsServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Listens on {@code address} ({@code [ADDR:]PORT}; without an address 127.0.0.1: only this host unless told
     * otherwise; port 0 picks a free one).
     *
     * @throws UsageException when the address is malformed or taken
     */
    public static OpsServer start(String address) {
        InetSocketAddress bind = parse(address);
        HttpServer server;
        try {
            server = HttpServer.create(bind, 64);
        } catch (IOException e) {
            throw new UsageException("--http " + address + ": cannot listen there: " + e.getMessage());
        }
        // Long-lived requests (the dashboard's event stream) each hold a thread: a cached pool, daemon threads.
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "httpmon-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        ServiceMetrics.registerJvmAndKafka();
        server.createContext("/metrics", new MetricsHandler(PrometheusRegistry.defaultRegistry));
        server.createContext("/health", OpsServer::health);
        server.start();
        return new OpsServer(server, threads);
    }

    /** {@code [ADDR:]PORT} as a socket address. */
    public static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535 || host.isEmpty()) {
            throw new UsageException("--http " + address + ": expected [ADDRESS:]PORT, e.g. 8080 or 0.0.0.0:8080");
        }
        return new InetSocketAddress(host, port);
    }

    private static void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Health.Report report = Health.report();
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("status", report.ready() ? "ready" : report.services().isEmpty() ? "starting" : "not ready");
            ObjectNode checks = body.putObject("checks");
            report.services().forEach(checks::put);
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(report.ready() ? 200 : 503, head ? -1 : bytes.length);
            if (!head) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    /** The server, for more contexts (the dashboard). */
    public HttpServer server() {
        return server;
    }

    /** The base address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
