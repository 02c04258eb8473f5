package io.httpmon.parser.format;

/**
 * What a field of a log line means to httpmon, whatever the format calls it ({@code $remote_addr}, {@code %h},
 * {@code c-ip}, {@code request.remote_ip} are all {@link #CLIENT}). A format maps its own names to these.
 */
public enum Field {
    /** Client address or host name. */
    CLIENT,
    /** Client address with its port, {@code 10.0.0.1:4711} or {@code [::1]:4711} (load balancers, HAProxy). */
    CLIENT_PORT,
    IDENT,
    USER,
    /** {@code 10/Oct/2000:13:55:36 -0700}. */
    TIME_CLF,
    /** Apache's {@code %t}: {@code [10/Oct/2000:13:55:36 -0700]}, brackets included. */
    TIME_CLF_BRACKETED,
    /** ISO-8601 with an offset or Z, fractions of a second allowed. */
    TIME_ISO,
    /** Seconds since the epoch, with a fraction ({@code $msec}, Caddy's {@code ts}). */
    TIME_EPOCH_S,
    TIME_EPOCH_MS,
    TIME_EPOCH_US,
    /** W3C's {@code date} (yyyy-MM-dd, UTC) ... */
    DATE,
    /** ... and {@code time} (HH:mm:ss, UTC). */
    TIME_OF_DAY,
    /** {@code GET /path?q HTTP/1.1}. */
    REQUEST_LINE,
    METHOD,
    /** Path and query. */
    URI,
    /** Path without the query. */
    PATH,
    /** The query, with or without its {@code ?}. */
    QUERY,
    PROTOCOL,
    STATUS,
    BYTES,
    REFERRER,
    USER_AGENT,
    VHOST,
    /** Response time in seconds (a decimal). */
    DURATION_S,
    DURATION_MS,
    DURATION_US,
    DURATION_NS,
    /** One of several times in seconds whose sum is the response time (a load balancer's three); -1: none. */
    DURATION_PART_S,
    UPSTREAM,
    FORWARDED_FOR,
    /** A field httpmon does not use. */
    IGNORED
}
