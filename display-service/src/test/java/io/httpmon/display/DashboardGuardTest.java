package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.KafkaOptions;
import io.httpmon.common.config.DashboardSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may use the dashboard: only requests for a name it is served under (DNS rebinding: another site's page whose
 * name resolves to this address), and rule changes only where the config allows them. No Kafka: nothing here gets
 * as far as the feed's topics.
 */
class DashboardGuardTest {

    private static DashboardServer start(DashboardSettings settings) {
        return DashboardServer.start(
                "127.0.0.1:0", new DashboardFeed(KafkaOptions.of("127.0.0.1:1", "guard.", 1)), settings);
    }

    /** The status line and body of a raw HTTP/1.1 request with this {@code Host} (a browser's, unlike Java's client). */
    private static String request(DashboardServer server, String method, String path, String host, String... headers)
            throws IOException {
        URI url = URI.create(server.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            if (host != null) {
                req.append("Host: ").append(host).append("\r\n");
            }
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Content-Length: 4\r\nConnection: close\r\n\r\nquiet");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("") + "\n"
                    + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void aRequestForAnotherSitesNameIsRefusedEvenFromThisMachine() throws IOException {
        try (DashboardServer server = start(DashboardSettings.DEFAULT)) {
            int port = URI.create(server.url()).getPort();
            assertTrue(request(server, "GET", "/", "127.0.0.1:" + port).startsWith("HTTP/1.1 200"));
            assertTrue(request(server, "GET", "/", "localhost:" + port).startsWith("HTTP/1.1 200"));
            assertTrue(request(server, "GET", "/api/history", "[::1]:" + port).startsWith("HTTP/1.1 200"));

            String rebound = request(server, "GET", "/api/history", "evil.example:" + port);
            assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
            assertTrue(
                    rebound.contains(
                            "not served under the name 'evil.example:" + port + "': add it to [Dashboard] " + "hosts"),
                    rebound);
            assertTrue(request(server, "GET", "/events", "evil.example").startsWith("HTTP/1.1 403"));
            assertTrue(request(server, "GET", "/", null).startsWith("HTTP/1.1 403"), "no Host, no page");
        }
    }

    @Test
    void theNamesItIsOpenedUnderAreConfigured() throws IOException {
        try (DashboardServer server = start(new DashboardSettings(false, List.of("monitor.example")))) {
            assertTrue(request(server, "GET", "/", "Monitor.Example:8080").startsWith("HTTP/1.1 200"));
            assertTrue(request(server, "GET", "/", "other.example").startsWith("HTTP/1.1 403"));
        }
    }

    @Test
    void rulesAreNotChangedFromThePageUnlessTheConfigAllowsIt() throws IOException {
        try (DashboardServer server = start(DashboardSettings.DEFAULT)) {
            String host = "127.0.0.1:" + URI.create(server.url()).getPort();
            String history = request(server, "GET", "/api/history", host);
            assertTrue(history.contains("\"rule_changes\":false"), history);
            String refused = request(
                    server, "POST", "/api/rules/delete", host, "X-Httpmon-Action: rules", "Origin: http://" + host);
            assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
            assertTrue(
                    refused.contains(
                            "rule changes from the dashboard are off: set [Dashboard] allow_rule_changes = true or "
                                    + "credentials_file"),
                    refused);
        }
        try (DashboardServer server = start(new DashboardSettings(true, List.of()))) {
            String host = "127.0.0.1:" + URI.create(server.url()).getPort();
            assertTrue(request(server, "GET", "/api/history", host).contains("\"rule_changes\":true"));
            String forged = request(
                    server,
                    "POST",
                    "/api/rules/delete",
                    host,
                    "X-Httpmon-Action: rules",
                    "Origin: http://evil.example");
            assertEquals("HTTP/1.1 403 Forbidden", forged.lines().findFirst().orElse(""), forged);
        }
    }

    @Test
    void withACredentialsFileRulesAreChangedOnlyWithOneOfItsUsersAndPasswords() throws IOException {
        DashboardSettings settings = new DashboardSettings(false, List.of(), Map.of("ops", "s3cret:with colon"));
        try (DashboardServer server = start(settings)) {
            String host = "127.0.0.1:" + URI.create(server.url()).getPort();
            assertTrue(
                    request(server, "GET", "/api/history", host).contains("\"rule_changes\":true"),
                    "the page shows its editor; the browser asks for the user and password when it is used");
            String[] page = {"X-Httpmon-Action: rules", "Origin: http://" + host};

            String anonymous = request(server, "POST", "/api/rules", host, page);
            assertTrue(anonymous.startsWith("HTTP/1.1 401"), anonymous);
            assertTrue(anonymous.contains("[Dashboard] credentials_file"), anonymous);
            assertTrue(
                    rawHeaders(server, host, page)
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("www-authenticate: basic realm=\"httpmon rules\""),
                    "a browser prompts for them");
            for (String wrong : List.of("ops:s3cret", "ops:s3cret:with colonX", "nobody:s3cret:with colon", "ops")) {
                String refused = request(server, "POST", "/api/rules", host, with(page, basic(wrong)));
                assertTrue(refused.startsWith("HTTP/1.1 401"), wrong + " -> " + refused);
            }
            assertTrue(request(server, "POST", "/api/rules", host, with(page, "Authorization: Basic not-base64!"))
                    .startsWith("HTTP/1.1 401"));

            // Past the guard: the text is read as rules (and refused as such: no Kafka needed to see that).
            String accepted = request(server, "POST", "/api/rules", host, with(page, basic("ops:s3cret:with colon")));
            assertTrue(accepted.startsWith("HTTP/1.1 400"), accepted);
            String otherSection = requestWithBody(
                    server,
                    host,
                    "[Dashboard]\ncredentials_file = /etc/shadow\n",
                    with(page, basic("ops:s3cret:with colon")));
            assertTrue(otherSection.startsWith("HTTP/1.1 400"), otherSection);
            assertTrue(
                    otherSection.contains("page:1: [Dashboard] is not a rule nor a monitor"),
                    "the page takes rules and monitors only, and reads no file: " + otherSection);
            String forged = request(
                    server,
                    "POST",
                    "/api/rules",
                    host,
                    "X-Httpmon-Action: rules",
                    "Origin: http://evil.example",
                    basic("ops:s3cret:with colon"));
            assertTrue(forged.startsWith("HTTP/1.1 403"), "credentials do not lift the origin check: " + forged);
        }
    }

    private static String basic(String userAndPassword) {
        return "Authorization: Basic "
                + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] with(String[] headers, String more) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = more;
        return all;
    }

    /** The status line and body of a rule change posting {@code body}. */
    private static String requestWithBody(DashboardServer server, String host, String body, String[] headers)
            throws IOException {
        URI url = URI.create(server.url());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            StringBuilder req = new StringBuilder("POST /api/rules HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("") + "\n"
                    + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** The response's status line and headers of an anonymous rule change. */
    private static String rawHeaders(DashboardServer server, String host, String[] headers) throws IOException {
        URI url = URI.create(server.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            StringBuilder req = new StringBuilder("POST /api/rules HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n\r\n"));
        }
    }
}
