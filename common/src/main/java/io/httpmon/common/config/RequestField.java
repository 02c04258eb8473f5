package io.httpmon.common.config;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import java.util.Locale;
import java.util.function.Function;

/**
 * A field of a request that a statistics monitor filters on or groups by ({@code [Stats NAME]}): its key in the
 * config, the column it is decoded from and its text (null when the log has none).
 */
public enum RequestField {
    SECTION("section", Column.SECTION, HttpRequest::section),
    /** The status code, as text ({@code 404}); a filter also takes its class ({@code 4xx}). */
    STATUS("status", Column.STATUS, r -> Integer.toString(r.status())),
    METHOD("method", Column.METHOD, HttpRequest::method),
    VHOST("vhost", Column.VHOST, HttpRequest::vhost),
    /** The client after {@code [Log] client}: its address or host. */
    CLIENT("client", Column.HOST, HttpRequest::host),
    USER_AGENT("user_agent", Column.USER_AGENT, HttpRequest::userAgent),
    /** The resource's path: the resource without its query. */
    PATH("path", Column.RESOURCE, r -> path(r.resource()));

    private final String key;
    private final Column column;
    private final Function<HttpRequest, String> text;

    RequestField(String key, Column column, Function<HttpRequest, String> text) {
        this.key = key;
        this.column = column;
        this.text = text;
    }

    public String key() {
        return key;
    }

    public Column column() {
        return column;
    }

    /** The field's text in {@code request}, or null when the log did not have it. */
    public String of(HttpRequest request) {
        return text.apply(request);
    }

    /** The field of config key {@code key}, or null. */
    public static RequestField byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (RequestField field : values()) {
            if (field.key.equals(k)) {
                return field;
            }
        }
        return null;
    }

    private static String path(String resource) {
        if (resource == null) {
            return null;
        }
        int query = resource.indexOf('?');
        return query < 0 ? resource : resource.substring(0, query);
    }
}
