package io.httpmon.display;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.httpmon.common.ControlChars;
import io.httpmon.common.Json;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.DashboardSettings;
import io.httpmon.common.ops.OpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: a page (HTML, script and style from the jar, no CDN) and its data, {@code /events} (server-sent
 * events: first the history the {@link DashboardFeed} keeps, then every update) and {@code /api/history} (the
 * same history, once). The page sets every text from the log with {@code textContent}, and the Content Security
 * Policy allows only the page's own script: markup in a log line is shown as text.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final Map<String, String> FILES = Map.of(
            "/",
            "index.html",
            "/index.html",
            "index.html",
            "/dashboard.js",
            "dashboard.js",
            "/dashboard.css",
            "dashboard.css");
    /** Updates a slow browser may be behind before it is dropped (it reconnects and gets the history again). */
    private static final int QUEUE = 10_000;

    private final OpsServer ops;
    private final DashboardFeed feed;
    private final DashboardSettings settings;
    /** The names a request's {@code Host} may give (lower case, without the port). */
    private final Set<String> hosts = new HashSet<>();

    private DashboardServer(OpsServer ops, DashboardFeed feed, DashboardSettings settings) {
        this.ops = ops;
        this.feed = feed;
        this.settings = settings;
        hosts.addAll(List.of("localhost", "127.0.0.1", "::1"));
        InetAddress bound = ops.server().getAddress().getAddress();
        if (!bound.isAnyLocalAddress()) {
            hosts.add(bound.getHostAddress().toLowerCase(Locale.ROOT));
        }
        settings.hosts().forEach(h -> hosts.add(hostName(h)));
    }

    /**
     * Serves the dashboard on {@code address} ({@code [ADDR:]PORT}; without an address 127.0.0.1: only this host
     * unless told otherwise).
     */
    public static DashboardServer start(String address, DashboardFeed feed, DashboardSettings settings) {
        OpsServer ops = OpsServer.start(address); // /metrics and /health beside the page
        DashboardServer dashboard = new DashboardServer(ops, feed, settings);
        HttpServer server = ops.server();
        Filter hostCheck = new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (dashboard.knownHost(exchange)) {
                    chain.doFilter(exchange);
                }
            }

            @Override
            public String description() {
                return "the Host header names this dashboard";
            }
        };
        server.createContext("/", dashboard::file).getFilters().add(hostCheck);
        server.createContext("/events", dashboard::events).getFilters().add(hostCheck);
        server.createContext("/api/history", dashboard::history).getFilters().add(hostCheck);
        server.createContext("/api/rules", dashboard::rules).getFilters().add(hostCheck);
        return dashboard;
    }

    /**
     * Refuses a request whose {@code Host} is not a name this dashboard is served under: a page of another site
     * whose name was made to resolve to this address (DNS rebinding) would otherwise read the log's data and, where
     * allowed, change the rules, since the browser takes it for the same origin.
     */
    private boolean knownHost(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && hosts.contains(hostName(host))) {
            return true;
        }
        try (exchange) {
            reply(
                    exchange,
                    403,
                    "this dashboard is not served under the name '" + ControlChars.escape(String.valueOf(host))
                            + "': add it to [Dashboard] hosts if that is how it is opened");
        }
        return false;
    }

    /** The host part of a {@code Host} header or a configured name: lower case, without a port or IPv6 brackets. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return ops.url();
    }

    private static void headers(HttpExchange exchange, String type) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("X-Content-Type-Options", "nosniff");
        h.set(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                        + "form-action 'none'; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
    }

    private void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = FILES.get(exchange.getRequestURI().getPath());
            if (name == null || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
                body = in.readAllBytes();
            }
            headers(
                    exchange,
                    name.endsWith(".html")
                            ? "text/html; charset=utf-8"
                            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The history, saying whether the page may change the rules (it shows its editor only then). */
    private ObjectNode withPermissions(ObjectNode history) {
        return history.put("rule_changes", settings.ruleChanges());
    }

    private void history(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = Json.MAPPER.writeValueAsBytes(withPermissions(feed.snapshot()));
            headers(exchange, "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * Changes the alert rules, as {@code httpmon rules} does: {@code POST /api/rules} with the text of
     * {@code [Alert NAME]} / {@code [Alerts]} sections applies them, {@code POST /api/rules/delete} with a name
     * deletes it. Only where {@code [Dashboard] allow_rule_changes} is on, and only from the page itself: a request
     * must carry the page's header and, when the browser says where it comes from, this very origin (another site's
     * page cannot change the rules through a browser), under a name this dashboard is served as (the host check).
     */
    private void rules(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!settings.ruleChanges()) {
                reply(
                        exchange,
                        403,
                        "rule changes from the dashboard are off: set [Dashboard] allow_rule_changes = true or "
                                + "credentials_file, or use ./httpmon rules");
                return;
            }
            var h = exchange.getRequestHeaders();
            if (!settings.credentials().isEmpty() && !authorized(h.getFirst("Authorization"))) {
                exchange.getResponseHeaders()
                        .set("WWW-Authenticate", "Basic realm=\"httpmon rules\", charset=\"UTF-8\"");
                reply(exchange, 401, "rules are changed with a user and password of [Dashboard] credentials_file");
                return;
            }
            String origin = h.getFirst("Origin");
            String host = h.getFirst("Host");
            if (!exchange.getRequestMethod().equals("POST")
                    || !"rules".equals(h.getFirst("X-Httpmon-Action"))
                    || (origin != null && !origin.equals("http://" + host))) {
                reply(exchange, 403, "rules are changed from the dashboard's own page only");
                return;
            }
            String body = new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            try {
                reply(exchange, 200, path.endsWith("/delete") ? feed.deleteRule(body.strip()) : feed.applyRules(body));
            } catch (UsageException e) {
                reply(exchange, 400, e.getMessage());
            } catch (RuntimeException e) {
                reply(exchange, 503, "the rules could not be changed: " + e.getMessage());
            }
        }
    }

    /** Whether an {@code Authorization: Basic} header gives a user and password of the credentials file. */
    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String given;
        try {
            given = new String(
                    java.util.Base64.getDecoder()
                            .decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = given.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String expected = settings.credentials().get(given.substring(0, colon));
        // Compared in constant time, and a password is compared for an unknown user too: the time tells nothing.
        byte[] password = given.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        byte[] wanted = (expected != null ? expected : "\u0000unknown user").getBytes(StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(password, wanted) && expected != null;
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        headers(exchange, "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** One browser's stream: the history, then each update; a comment every 15 s notices a browser gone. */
    private void events(HttpExchange exchange) throws IOException {
        BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(QUEUE);
        boolean[] overflow = {false};
        Consumer<ObjectNode> listener = update -> {
            if (!queue.offer(update)) {
                overflow[0] = true;
            }
        };
        ObjectNode history = withPermissions(feed.subscribe(listener));
        try (exchange) {
            headers(exchange, "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, history);
            while (!overflow[0]) {
                ObjectNode update = queue.poll(15, TimeUnit.SECONDS);
                if (update == null) {
                    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else {
                    send(out, update);
                }
            }
            log.debug("dashboard: a browser fell {} updates behind and was dropped (it reconnects)", QUEUE);
        } catch (IOException e) {
            log.debug("dashboard: a browser went away: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            feed.unsubscribe(listener);
        }
    }

    private static void send(OutputStream out, ObjectNode event) throws IOException {
        // JSON has no raw line breaks, so one data line carries it.
        out.write(("id: " + event.path("id").asLong() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(Json.MAPPER.writeValueAsBytes(event));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        ops.close();
    }
}
