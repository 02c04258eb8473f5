package io.httpmon.common.model;

/**
 * One request from an access log, in whatever format the web server wrote it (see docs/formats), as published on
 * {@code requests}. Fields the log left as {@code -}, or that its format does not have, are null.
 *
 * @param host the client: its host or address (IPv4, IPv6 or name) as logged, or with {@code [Log] client =
 *     x_forwarded_for} the first address of {@code X-Forwarded-For} that is not a trusted proxy
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
 * @param vhost the virtual host (and port where logged): Apache's {@code %v}, nginx's {@code $host}, W3C's
 *     {@code cs-host}, Caddy's {@code request.host}
 * @param truncated true when the line ends inside the referrer or user agent (no closing quote): the Common Log
 *     Format part is whole and counted, the field holds what the line had
 * @param responseTimeUs the time the server took to answer, in microseconds ({@code $request_time}, {@code %D},
 *     Caddy's {@code duration}, W3C {@code time-taken}, a load balancer's processing times, HAProxy's {@code Tt});
 *     null when the format logs none
 * @param upstream the upstream or backend that answered, where logged ({@code $upstream_addr}, HAProxy's
 *     backend/server, a load balancer's target)
 * @param forwardedFor the request's {@code X-Forwarded-For} header as logged
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
        Boolean truncated,
        Long responseTimeUs,
        String upstream,
        String forwardedFor) {

    /** A request of a format without response time, upstream or forwarded-for fields (Common/Combined). */
    public HttpRequest(
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
        this(
                host, ident, user, time, timestamp, request, method, resource, protocol, section, status, bytes,
                referrer, userAgent, vhost, truncated, null, null, null);
    }

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
