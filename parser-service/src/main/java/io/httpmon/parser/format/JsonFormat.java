package io.httpmon.parser.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.Json;
import io.httpmon.parser.LogLineParser.Result;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
        }
        return f.build(clients);
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
