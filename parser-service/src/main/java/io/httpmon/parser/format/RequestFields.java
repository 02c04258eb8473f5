package io.httpmon.parser.format;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.parser.LogLineParser;
import io.httpmon.parser.LogLineParser.Result;
import java.util.Arrays;

/**
 * The fields one line gave, by meaning, turned into a request ({@link #build}): whichever of the time fields, the
 * request line or its parts, and the response-time fields the format has. Reused line after line by one format
 * (a format is used by one thread).
 */
public final class RequestFields {

    private static final Field[] FIELDS = Field.values();

    private final String[] values = new String[FIELDS.length];
    private long durationPartsUs;
    private boolean hasDurationParts;

    /** Forgets the previous line's fields. */
    public RequestFields clear() {
        Arrays.fill(values, null);
        durationPartsUs = 0;
        hasDurationParts = false;
        return this;
    }

    /** Sets {@code field} to {@code value} as logged; {@code -} and empty are absent. A field set twice keeps the first. */
    public void set(Field field, String value) {
        if (field == Field.IGNORED || value == null) {
            return;
        }
        if (field == Field.DURATION_PART_S) {
            double seconds = parseDouble(value);
            if (seconds >= 0) { // -1: the load balancer did not get that far
                durationPartsUs += Math.round(seconds * 1e6);
                hasDurationParts = true;
            }
            return;
        }
        if (values[field.ordinal()] == null && !value.isEmpty() && !value.equals("-")) {
            values[field.ordinal()] = value;
        }
    }

    public String get(Field field) {
        return values[field.ordinal()];
    }

    /** The request these fields make, or why they make none. */
    public Result build(ClientPolicy clients) {
        String client = get(Field.CLIENT);
        if (client == null && get(Field.CLIENT_PORT) != null) {
            client = withoutPort(get(Field.CLIENT_PORT));
        }
        if (client == null) {
            return Result.error("no client address in the line");
        }
        long[] time = time();
        if (time == null) {
            return Result.error(timeError());
        }
        String statusText = get(Field.STATUS);
        int status = statusText == null ? -1 : status(statusText);
        if (status < 0) {
            return Result.error(
                    statusText == null
                            ? "no status in the line"
                            : "status '" + statusText + "' is not a 3-digit HTTP status");
        }
        Long bytes = null;
        String bytesText = get(Field.BYTES);
        if (bytesText != null) {
            long b = digits(bytesText);
            if (b < 0) {
                return Result.error("bytes '" + bytesText + "' is neither a number nor '-'");
            }
            bytes = b;
        }
        String method = get(Field.METHOD);
        String resource = resource();
        String protocol = get(Field.PROTOCOL);
        String requestLine = get(Field.REQUEST_LINE);
        if (requestLine != null) {
            LogLineParser.RequestLine parts = LogLineParser.splitRequest(requestLine);
            method = parts.method();
            resource = parts.resource();
            protocol = parts.protocol();
        } else if (method != null || resource != null) {
            requestLine = (method == null ? "-" : method) + " " + (resource == null ? "-" : resource)
                    + (protocol == null ? "" : " " + protocol);
        } else {
            requestLine = "-";
        }
        Long durationUs = duration();
        if (durationUs != null && durationUs < 0) {
            return Result.error("response time is not a number");
        }
        String xff = get(Field.FORWARDED_FOR);
        String vhost = get(Field.VHOST);
        return Result.ok(new HttpRequest(
                clients.client(client, xff),
                get(Field.IDENT),
                get(Field.USER),
                LogLineParser.isoTime(time[0], time[1]),
                time[0],
                requestLine,
                method,
                resource,
                protocol,
                LogLineParser.section(resource),
                status,
                bytes,
                get(Field.REFERRER),
                get(Field.USER_AGENT),
                vhost,
                null,
                durationUs,
                get(Field.UPSTREAM),
                xff));
    }

    private String resource() {
        String uri = get(Field.URI);
        if (uri != null) {
            return uri;
        }
        String path = get(Field.PATH);
        if (path == null) {
            return null;
        }
        String query = get(Field.QUERY);
        if (query == null || query.equals("?")) {
            return path;
        }
        return query.startsWith("?") ? path + query : path + "?" + query;
    }

    /** {epoch millis, UTC offset in seconds}, or null. */
    private long[] time() {
        String v;
        if ((v = get(Field.TIME_CLF)) != null) {
            return LogLineParser.clfTime(v);
        }
        if ((v = get(Field.TIME_CLF_BRACKETED)) != null) {
            return v.length() > 2 && v.charAt(0) == '[' && v.charAt(v.length() - 1) == ']'
                    ? LogLineParser.clfTime(v.substring(1, v.length() - 1))
                    : null;
        }
        if ((v = get(Field.TIME_ISO)) != null) {
            return Times.iso(v);
        }
        if ((v = get(Field.TIME_EPOCH_S)) != null) {
            return epoch(v, 1e3);
        }
        if ((v = get(Field.TIME_EPOCH_MS)) != null) {
            return epoch(v, 1);
        }
        if ((v = get(Field.TIME_EPOCH_US)) != null) {
            return epoch(v, 1e-3);
        }
        String date = get(Field.DATE);
        String clock = get(Field.TIME_OF_DAY);
        if (date != null && clock != null) {
            return Times.iso(date + "T" + clock + "Z");
        }
        return null;
    }

    private String timeError() {
        for (Field f : new Field[] {
            Field.TIME_CLF,
            Field.TIME_CLF_BRACKETED,
            Field.TIME_ISO,
            Field.TIME_EPOCH_S,
            Field.TIME_EPOCH_MS,
            Field.TIME_EPOCH_US,
            Field.DATE,
            Field.TIME_OF_DAY
        }) {
            if (get(f) != null) {
                return "time '" + get(f) + "' is not "
                        + switch (f) {
                            case TIME_CLF, TIME_CLF_BRACKETED -> "dd/MMM/yyyy:HH:mm:ss +hhmm";
                            case TIME_ISO -> "an ISO-8601 time with its offset";
                            case DATE, TIME_OF_DAY -> "a W3C date (yyyy-MM-dd) and time (HH:mm:ss)";
                            default ->
                                "a number of "
                                        + (f == Field.TIME_EPOCH_S
                                                ? "seconds"
                                                : f == Field.TIME_EPOCH_MS ? "milliseconds" : "microseconds")
                                        + " since 1970";
                        };
            }
        }
        return "no time in the line";
    }

    private static long[] epoch(String v, double toMillis) {
        double d = parseDouble(v);
        if (d < 0 || Double.isNaN(d) || d * toMillis > 253_402_300_799_000d) {
            return null;
        }
        return new long[] {(long) Math.floor(d * toMillis), 0};
    }

    /** The response time in microseconds, null when the line has none, -1 when it is not a number. */
    private Long duration() {
        String v;
        if ((v = get(Field.DURATION_US)) != null) {
            return micros(v, 1);
        }
        if ((v = get(Field.DURATION_MS)) != null) {
            return micros(v, 1e3);
        }
        if ((v = get(Field.DURATION_S)) != null) {
            return micros(v, 1e6);
        }
        if ((v = get(Field.DURATION_NS)) != null) {
            return micros(v, 1e-3);
        }
        return hasDurationParts ? durationPartsUs : null;
    }

    private static Long micros(String v, double factor) {
        // nginx writes "0.002, 0.004" for $upstream_response_time after retries; a unit may follow ("12ms").
        String number = v;
        int end = 0;
        while (end < number.length() && (Character.isDigit(number.charAt(end)) || number.charAt(end) == '.')) {
            end++;
        }
        double d = parseDouble(number.substring(0, end));
        return d < 0 ? -1L : Math.round(d * factor);
    }

    private static double parseDouble(String s) {
        if (s.isEmpty() || s.length() > 30) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && !(i == 0 && c == '-')) {
                return -1;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int status(String s) {
        return s.length() == 3 ? (int) digits(s) : -1;
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** {@code 10.0.0.1:4711} to {@code 10.0.0.1}, {@code [::1]:4711} to {@code ::1}; a bare IPv6 address stays. */
    static String withoutPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(1, close) : hostPort;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.indexOf(':') == colon) {
            return hostPort.substring(0, colon);
        }
        return hostPort;
    }
}
