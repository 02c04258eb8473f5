package io.httpmon.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.httpmon.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol: opens a page, evaluates
 * expressions in it, takes screenshots. No driver or library between: the protocol is JSON over a WebSocket.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium on {@code url} with its profile in {@code profile}. */
    static Chromium open(String url, Path profile) throws Exception {
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--remote-debugging-port=0",
                        "--remote-allow-origins=*",
                        "--user-data-dir=" + profile,
                        "--window-size=1280,1100",
                        url)
                .redirectErrorStream(true)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String browserSocket = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (browserSocket == null && System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("chromium exited");
            }
            if (line.startsWith("DevTools listening on ")) {
                browserSocket =
                        line.substring("DevTools listening on ".length()).strip();
            }
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI ws = URI.create(browserSocket);
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        while (pageSocket == null && System.nanoTime() < deadline) {
            JsonNode targets = Json.MAPPER.readTree(http.send(
                            HttpRequest.newBuilder(URI.create("http://" + ws.getAuthority() + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    pageSocket = t.path("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode message = Json.MAPPER.readTree(partial.toString());
                                CompletableFuture<JsonNode> call =
                                        self[0].calls.remove(message.path("id").asInt(-1));
                                if (call != null) {
                                    call.complete(message);
                                }
                            } catch (IOException e) {
                                // not ours to read
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        self[0] = new Chromium(process, socket);
        return self[0];
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        calls.put(id, result);
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", Json.MAPPER.valueToTree(params));
        socket.sendText(Json.MAPPER.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = result.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + ": " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** The value of a JavaScript expression in the page (strings, numbers, booleans). */
    String eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return result.path("result").path("value").asText();
    }

    /** Evaluates {@code expression} until it is {@code expected} or {@code timeout} passes; returns the last value. */
    String await(String expression, String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String value = eval(expression);
        while (!value.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = eval(expression);
        }
        return value;
    }

    /** Opens {@code url} in the page. */
    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** Reloads the page. */
    void reload() throws Exception {
        call("Page.reload", Map.of());
    }

    /** A PNG of the page as it is shown. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder()
                .decode(call("Page.captureScreenshot", Map.of("format", "png"))
                        .path("data")
                        .asText());
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
