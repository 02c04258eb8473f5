package io.httpmon.parser.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import io.httpmon.parser.LogLineParser.Result;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A log of one JSON object a line (Caddy's, nginx's {@code escape=json} formats): each field is found under its
 * key path ({@code request.remote_ip}); an array gives its first element (Caddy's headers). Where a field's keys
 * are not given, {@code byName} may name them (nginx's variable names as keys).
 */
final class JsonFormat implements LineFormat {

    /** A field and the keys leading to it. */
    record Mapping(Field field, String... path) {}

    private final String name;
    private final List<Mapping> mappings;
    private final Map<String, Field> byName;
    private final ClientPolicy clients;
    private final RequestFields fields = new RequestFields();

    /** @param byName top-level keys to fields, for keys no mapping names (null: only the mappings) */
    JsonFormat(String name, List<Mapping> mappings, Map<String, Field> byName, ClientPolicy clients) {
        this.name = name;
        this.mappings = List.copyOf(mappings);
        this.byName = byName;
        this.clients = clients;
    }

    List<Mapping> mappings() {
        return mappings;
    }

    JsonFormat with(ClientPolicy policy) {
        return new JsonFormat(name, mappings, byName, policy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result parse(byte[] b, int from, int to, LineContext context) {
        int start = from;
        while (start < to && (b[start] == ' ' || b[start] == '\t')) {
            start++;
        }
        if (start >= to || b[start] != '{') {
            return Result.error("not a JSON object (format " + name + ")");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(new String(b, start, to - start, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return Result.error("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return Result.error("not a JSON object (format " + name + ")");
        }
        RequestFields f = fields.clear();
        for (Mapping m : mappings) {
            JsonNode node = root;
            for (String key : m.path()) {
                node = node == null ? null : node.get(key);
            }
            set(f, m.field(), node);
        }
        if (byName != null) {
            root.fields().forEachRemaining(e -> {
                Field field = byName.get(e.getKey());
                if (field != null) {
                    set(f, field, e.getValue());
                }
            });
            // Then the common keys: a field set already (by a variable's own name) keeps its value.
            root.fields().forEachRemaining(e -> {
                if (TIME_KEYS.contains(e.getKey())) {
                    setTime(f, e.getValue());
                } else {
                    Field field = COMMON_KEYS.get(e.getKey());
                    if (field != null && !byName.containsKey(e.getKey())) {
                        set(f, field, e.getValue());
                    }
                }
            });
        }
        return f.build(clients);
    }

    /** Keys a hand-written JSON log format often gives the time, in any of its forms: see {@link #setTime}. */
    private static final Set<String> TIME_KEYS = Set.of("time", "timestamp", "@timestamp", "datetime");

    /**
     * Other keys a hand-written JSON log format often uses instead of nginx's variable names ({@code "method":
     * "$request_method"}); a variable's own name is read first where both are there.
     */
    private static final Map<String, Field> COMMON_KEYS = Map.ofEntries(
            Map.entry("client_ip", Field.CLIENT),
            Map.entry("remote_ip", Field.CLIENT),
            Map.entry("method", Field.METHOD),
            Map.entry("url", Field.URI),
            Map.entry("status_code", Field.STATUS),
            Map.entry("user", Field.USER),
            Map.entry("user_agent", Field.USER_AGENT),
            Map.entry("referer", Field.REFERRER),
            Map.entry("referrer", Field.REFERRER));

    /** A time under a key that does not say its form: {@code 02/Dec/2026:10:00:00 +0000}, ISO-8601, or epoch. */
    private static void setTime(RequestFields f, JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return;
        }
        String text = node.isNumber() ? number(node) : node.asText().strip();
        if (text.length() > 7 && text.charAt(2) == '/' && text.charAt(6) == '/') {
            f.set(Field.TIME_CLF, text);
            return;
        }
        double epoch;
        try {
            epoch = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            f.set(Field.TIME_ISO, text);
            return;
        }
        // Seconds until the year 5138, then milliseconds, then microseconds.
        f.set(epoch < 1e11 ? Field.TIME_EPOCH_S : epoch < 1e14 ? Field.TIME_EPOCH_MS : Field.TIME_EPOCH_US, text);
    }

    private static void set(RequestFields f, Field field, JsonNode node) {
        if (node != null && node.isArray()) {
            node = node.isEmpty() ? null : node.get(0);
        }
        if (node == null || node.isNull() || node.isContainerNode()) {
            return;
        }
        String text = node.isNumber() ? number(node) : node.asText();
        if (field == Field.TIME_EPOCH_S && node.isTextual()) {
            field = Field.TIME_ISO; // Caddy's time_format iso8601 (or another) instead of its default seconds
        }
        f.set(field, text);
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        return BigDecimal.valueOf(node.doubleValue()).toPlainString();
    }

    @Override
    public String toString() {
        return name;
    }
}
