package io.httpmon.common.model;

/**
 * One request from an access log (Common or Combined Log Format), as published on {@code requests}.
 * Fields the log left as {@code -} are null.
 *
 * @param host client host or address (IPv4, IPv6 or name)
 * @param ident RFC 1413 identity, usually absent
 * @param user authenticated user
 * @param time the request's time, ISO-8601 with the log's own UTC offset
 * @param timestamp the same instant in epoch milliseconds (also the Kafka record timestamp)
 * @param request the request line as logged (quotes unescaped)
 * @param method request method, null when the request line is not {@code METHOD RESOURCE PROTOCOL}
 * @param resource path and query, null as for method
 * @param protocol e.g. {@code HTTP/1.1}, null as for method
 * @param section what precedes the second {@code /} of the path ({@code /pages/create} to {@code /pages})
 * @param status HTTP status code
 * @param bytes response size in bytes
 * @param referrer Referer header (Combined Log Format)
 * @param userAgent User-Agent header (Combined Log Format)
 * @param vhost the virtual host and port, for Apache's {@code vhost_combined} format ({@code %v:%p} first)
 * @param truncated true when the line ends inside the referrer or user agent (no closing quote): the Common Log
 *     Format part is whole and counted, the field holds what the line had
 */
public record HttpRequest(
        String host,
        String ident,
        String user,
        String time,
        long timestamp,
        String request,
        String method,
        String resource,
        String protocol,
        String section,
        int status,
        Long bytes,
        String referrer,
        String userAgent,
        String vhost,
        Boolean truncated) {

    /** Rejects what no parser produces (e.g. a foreign producer's {@code {}}), so consumers skip it as garbage. */
    public HttpRequest {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a request needs its client host");
        }
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status");
        }
    }
}
