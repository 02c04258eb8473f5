package io.httpmon.parser;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.Section;
import java.nio.charset.StandardCharsets;

/**
 * Parses one line of Common or Combined Log Format, as nginx and Apache write them by default:
 * <pre>host ident user [dd/MMM/yyyy:HH:mm:ss +hhmm] "request" status bytes ["referrer" "user agent"]</pre>
 * and Apache's {@code vhost_combined}, the same with {@code vhost:port} first.
 * Written by hand over the line's bytes (no regular expressions): it is the parser's hot path. It never throws:
 * a line is either a request or a {@link Result} with the reason it is not one. Fields after the user agent (custom
 * formats that append timings, say) are ignored. Quotes inside quoted fields may be escaped as nginx does
 * ({@code \x22}) or as Apache does ({@code \"}).
 */
public final class LogLineParser {

    /** A parsed request, or why the line is not one, or (both null) a line that is neither, such as a directive. */
    public record Result(HttpRequest request, String error) {
        /** A W3C directive or comment ({@code #Fields: ...}): not a request, not a mistake. */
        public static final Result SKIPPED = new Result(null, null);

        public static Result ok(HttpRequest request) {
            return new Result(request, null);
        }

        public static Result error(String reason) {
            return new Result(null, reason);
        }

        public boolean isRequest() {
            return request != null;
        }

        public boolean isSkipped() {
            return request == null && error == null;
        }
    }

    private static final long[] MONTH_CODES = {
        code("jan"), code("feb"), code("mar"), code("apr"), code("may"), code("jun"),
        code("jul"), code("aug"), code("sep"), code("oct"), code("nov"), code("dec")
    };

    private LogLineParser() {}

    public static Result parse(byte[] line) {
        return parse(line, line.length);
    }

    /** Parses the first {@code length} bytes of {@code line}. */
    public static Result parse(byte[] line, int length) {
        return parse(line, 0, length);
    }

    /** Parses the bytes of {@code line} from {@code from} up to (not including) {@code to}: one line of a chunk. */
    public static Result parse(byte[] line, int from, int to) {
        return parse(line, from, to, null);
    }

    /**
     * {@link #parse(byte[], int, int)}, reusing what {@code memo} kept of the lines before: the same time when this
     * line has the same time field (a log's consecutive lines mostly share their second), the same strings when it
     * has the same request line, user, referrer or user agent as one of them.
     */
    public static Result parse(byte[] line, int from, int to, LineMemo memo) {
        try {
            return parseStrict(line, from, to, memo);
        } catch (RuntimeException e) {
            // Defensive: the rules below are meant to be total; a slip must cost one dead letter, not the service.
            return Result.error("unreadable line (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * What one thread's last lines gave, for the next: the last time field and its time, and a small table of the
     * recent request lines (with their parts and section), users, referrers and user agents by their bytes. A line
     * whose field is in it gets the very strings of the line before: no decoding, no new strings, and the requests
     * batch's dictionary finds them by identity. The same bytes always give the same strings, so what a line reads
     * does not depend on the lines before it. Not thread-safe: one per format instance (a parse thread's).
     */
    public static final class LineMemo {
        /** Entries of the field table (a power of two): a log's frequent values, not its clients (unique). */
        private static final int SLOTS = 1024;
        /** Longer fields are decoded each time: comparing them would cost about as much. */
        private static final int MAX_KEPT = 512;

        private final byte[] time = new byte[26];
        private boolean filled;
        private long epochMillis;
        private String iso;

        private final byte[][] keys = new byte[SLOTS][];
        private final Object[] values = new Object[SLOTS];

        boolean matches(byte[] b, int from, int to) {
            if (!filled || to - from != time.length) {
                return false;
            }
            for (int k = 0; k < time.length; k++) {
                if (b[from + k] != time[k]) {
                    return false;
                }
            }
            return true;
        }

        void remember(byte[] b, int from, long epochMillis, String iso) {
            System.arraycopy(b, from, time, 0, time.length);
            this.epochMillis = epochMillis;
            this.iso = iso;
            filled = true;
        }

        /** What {@code kind} (a small number, so that equal bytes of two fields do not meet) kept of these bytes. */
        Object get(int kind, byte[] b, int from, int to) {
            if (to - from > MAX_KEPT) {
                return null;
            }
            int slot = slot(kind, b, from, to);
            byte[] key = keys[slot];
            if (key == null || key.length != to - from + 1 || key[0] != kind) {
                return null;
            }
            for (int k = from, j = 1; k < to; k++, j++) {
                if (b[k] != key[j]) {
                    return null;
                }
            }
            return values[slot];
        }

        void put(int kind, byte[] b, int from, int to, Object value) {
            if (to - from > MAX_KEPT) {
                return;
            }
            int slot = slot(kind, b, from, to);
            byte[] key = keys[slot];
            if (key == null || key.length != to - from + 1) {
                key = new byte[to - from + 1];
                keys[slot] = key;
            }
            key[0] = (byte) kind;
            System.arraycopy(b, from, key, 1, to - from);
            values[slot] = value;
        }

        private static int slot(int kind, byte[] b, int from, int to) {
            int h = kind;
            for (int k = from; k < to; k++) {
                h = 31 * h + b[k];
            }
            h *= 0x9E3779B9;
            return (h ^ (h >>> 16)) & (SLOTS - 1);
        }
    }

    /** A request line read, with what is derived from it: kept together in a {@link LineMemo}. */
    private record ReadRequest(String request, RequestLine parts, String section) {
        static ReadRequest of(String request) {
            RequestLine parts = splitRequest(request);
            return new ReadRequest(request, parts, LogLineParser.section(parts.resource()));
        }
    }

    private static final int USER = 1;
    private static final int IDENT = 2;
    private static final int REQUEST = 3;
    private static final int REFERRER = 4;
    private static final int USER_AGENT = 5;

    /** How a field's bytes become what the parser keeps of them. */
    @FunctionalInterface
    private interface Decode {
        Object of(byte[] b, int from, int to);
    }

    private static final Decode TEXT = LogLineParser::text;
    private static final Decode UNESCAPED = LogLineParser::unescape;
    private static final Decode REQUEST_LINE = (b, from, to) -> ReadRequest.of(unescape(b, from, to));

    /** {@code decode} of the bytes, or what {@code memo} (when there is one) kept of the same bytes of {@code kind}. */
    private static Object memoized(int kind, byte[] b, int from, int to, Decode decode, LineMemo memo) {
        if (memo == null) {
            return decode.of(b, from, to);
        }
        Object kept = memo.get(kind, b, from, to);
        if (kept == null) {
            kept = decode.of(b, from, to);
            memo.put(kind, b, from, to, kept);
        }
        return kept;
    }

    /** {@code dashIsNull} or {@code dashIsNullUnescaped} ({@code unescaped}) through the memo, when there is one. */
    private static String remembered(int kind, byte[] b, int from, int to, boolean unescaped, LineMemo memo) {
        return isDash(b, from, to) ? null : (String) memoized(kind, b, from, to, unescaped ? UNESCAPED : TEXT, memo);
    }

    /** {@link #parse}, but a slip in the rules throws: tests call it to see one ({@code ParserFuzzTest}). */
    static Result parseStrict(byte[] b, int from, int n) {
        return parseStrict(b, from, n, null);
    }

    private static Result parseStrict(byte[] b, int from, int n, LineMemo memo) {
        if (n == from) {
            return Result.error("empty line");
        }
        int i = from;
        int hostEnd = indexOf(b, i, n, (byte) ' ');
        if (hostEnd <= i) {
            return Result.error(
                    hostEnd == i
                            ? "line starts with a space, expected the client host"
                            : "expected 'host ident user [time] \"request\" status bytes', found one field");
        }
        String host = text(b, i, hostEnd);
        i = hostEnd + 1;
        int identEnd = indexOf(b, i, n, (byte) ' ');
        if (identEnd < 0) {
            return Result.error("missing the identity and user fields after the host");
        }
        String ident = remembered(IDENT, b, i, identEnd, false, memo);
        i = identEnd + 1;
        int userEnd = indexOf(b, i, n, (byte) ' ');
        if (userEnd < 0) {
            return Result.error("missing the user field after the identity");
        }
        String user = remembered(USER, b, i, userEnd, false, memo);
        i = userEnd + 1;

        String vhost = null;
        if (i < n && b[i] != '[') {
            // Apache's vhost_combined (Debian's other_vhosts_access.log): "%v:%p" before the client, one field more.
            int extraEnd = indexOf(b, i, n, (byte) ' ');
            if (extraEnd > i && extraEnd + 1 < n && b[extraEnd + 1] == '[' && ident != null && !ident.isEmpty()) {
                vhost = host;
                host = ident;
                ident = user;
                user = dashIsNull(b, i, extraEnd);
                i = extraEnd + 1;
            }
        }

        if (i >= n || b[i] != '[') {
            return Result.error("expected '[' and the time after the user field");
        }
        int timeEnd = indexOf(b, i + 1, n, (byte) ']');
        if (timeEnd < 0) {
            return Result.error("missing ']' after the time");
        }
        long epochMillis;
        String isoTime;
        if (memo != null && memo.matches(b, i + 1, timeEnd)) {
            epochMillis = memo.epochMillis;
            isoTime = memo.iso;
        } else {
            long[] epochAndOffset = parseTime(b, i + 1, timeEnd);
            if (epochAndOffset == null) {
                return Result.error("time '" + text(b, i + 1, timeEnd) + "' is not dd/MMM/yyyy:HH:mm:ss +hhmm");
            }
            epochMillis = epochAndOffset[0];
            isoTime = isoTime(epochAndOffset);
            if (memo != null) {
                memo.remember(b, i + 1, epochMillis, isoTime);
            }
        }
        i = timeEnd + 1;

        if (i + 1 >= n || b[i] != ' ' || b[i + 1] != '"') {
            return Result.error("expected a quoted request line after the time");
        }
        int requestStart = i + 2;
        int requestEnd = closingQuoteOfRequest(b, requestStart, n);
        if (requestEnd < 0) {
            return Result.error("the request line has no closing quote");
        }
        ReadRequest read = (ReadRequest) memoized(REQUEST, b, requestStart, requestEnd, REQUEST_LINE, memo);
        i = requestEnd + 1;

        if (i >= n || b[i] != ' ') {
            return Result.error("expected the status after the request line");
        }
        i++;
        int statusEnd = tokenEnd(b, i, n);
        int status = parseStatus(b, i, statusEnd);
        if (status < 0) {
            return Result.error("status '" + text(b, i, statusEnd) + "' is not a 3-digit HTTP status");
        }
        i = statusEnd;
        if (i >= n || b[i] != ' ') {
            return Result.error("missing the bytes field after the status");
        }
        i++;
        int bytesEnd = tokenEnd(b, i, n);
        Long bytes;
        if (bytesEnd == i + 1 && b[i] == '-') {
            bytes = null;
        } else {
            long value = parseDigits(b, i, bytesEnd);
            if (value < 0) {
                return Result.error("bytes '" + text(b, i, bytesEnd) + "' is neither a number nor '-'");
            }
            bytes = value;
        }
        i = bytesEnd;

        // The combined part may be cut off (a line length limit, a crash mid-write): the request, its time, status
        // and size are whole, so it counts; what is there of the field is kept and the request marked truncated.
        String referrer = null;
        String userAgent = null;
        Boolean truncated = null;
        if (i + 1 < n && b[i] == ' ' && b[i + 1] == '"') {
            int end = closingQuote(b, i + 2, n);
            if (end < 0) {
                referrer = dashIsNullUnescaped(b, i + 2, n);
                truncated = true;
            } else {
                referrer = remembered(REFERRER, b, i + 2, end, true, memo);
                i = end + 1;
                if (i + 1 < n && b[i] == ' ' && b[i + 1] == '"') {
                    end = closingQuote(b, i + 2, n);
                    if (end < 0) {
                        userAgent = dashIsNullUnescaped(b, i + 2, n);
                        truncated = true;
                    } else {
                        userAgent = remembered(USER_AGENT, b, i + 2, end, true, memo);
                    }
                }
            }
        }

        RequestLine parts = read.parts();
        return Result.ok(new HttpRequest(
                host,
                ident,
                user,
                isoTime,
                epochMillis,
                read.request(),
                parts.method(),
                parts.resource(),
                parts.protocol(),
                read.section(),
                status,
                bytes,
                referrer,
                userAgent,
                vhost,
                truncated));
    }

    /** A request line's parts; all null when it is not {@code METHOD RESOURCE [PROTOCOL]}. */
    public record RequestLine(String method, String resource, String protocol) {
        static final RequestLine NONE = new RequestLine(null, null, null);
    }

    /** Splits {@code GET /path HTTP/1.1} (or HTTP/0.9's {@code GET /path}) into its parts. */
    public static RequestLine splitRequest(String request) {
        int firstSpace = request.indexOf(' ');
        if (firstSpace <= 0 || !isMethod(request, firstSpace)) {
            return RequestLine.NONE;
        }
        int lastSpace = request.lastIndexOf(' ');
        String resource = null;
        String protocol = null;
        if (lastSpace > firstSpace && request.startsWith("HTTP/", lastSpace + 1)) {
            resource = request.substring(firstSpace + 1, lastSpace);
            protocol = request.substring(lastSpace + 1);
        } else if (lastSpace == firstSpace) {
            resource = request.substring(firstSpace + 1); // HTTP/0.9: no protocol
        }
        if (resource == null || resource.isEmpty()) {
            return RequestLine.NONE;
        }
        return new RequestLine(request.substring(0, firstSpace), resource, protocol);
    }

    /** {@code dd/MMM/yyyy:HH:mm:ss +hhmm} to {epoch millis, UTC offset in seconds}, or null. */
    public static long[] clfTime(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parseTime(b, 0, b.length);
    }

    /** An instant with the log's UTC offset as ISO-8601, e.g. 2018-05-09T16:00:39+02:00 (whole seconds). */
    public static String isoTime(long epochMillis, long offsetSeconds) {
        return isoTime(new long[] {epochMillis, offsetSeconds});
    }

    /** The section of a resource ({@link Section#of}). */
    public static String section(String resource) {
        return Section.of(resource);
    }

    private static boolean isMethod(String request, int end) {
        for (int k = 0; k < end; k++) {
            char c = request.charAt(k);
            if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** dd/MMM/yyyy:HH:mm:ss +hhmm to {epoch millis, offset seconds}, or null. */
    private static long[] parseTime(byte[] b, int from, int to) {
        if (to - from != 26
                || b[from + 2] != '/'
                || b[from + 6] != '/'
                || b[from + 11] != ':'
                || b[from + 14] != ':'
                || b[from + 17] != ':'
                || b[from + 20] != ' ') {
            return null;
        }
        int day = digits(b, from, 2);
        int month = month(b, from + 3);
        int year = digits(b, from + 7, 4);
        int hour = digits(b, from + 12, 2);
        int minute = digits(b, from + 15, 2);
        int second = digits(b, from + 18, 2);
        byte sign = b[from + 21];
        int offH = digits(b, from + 22, 2);
        int offM = digits(b, from + 24, 2);
        if (day < 1
                || month < 1
                || year < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 60
                || offH < 0
                || offH > 18
                || offM < 0
                || offM > 59
                || (sign != '+' && sign != '-')
                || day > daysInMonth(year, month)) {
            return null;
        }
        long offset = (sign == '-' ? -1 : 1) * (offH * 3600L + offM * 60L);
        long epochSecond =
                daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + Math.min(second, 59) - offset;
        return new long[] {epochSecond * 1000L, offset};
    }

    /** The request's time as ISO-8601 with the log's own offset, e.g. 2018-05-09T16:00:39+02:00. */
    private static String isoTime(long[] epochAndOffset) {
        long local = Math.floorDiv(epochAndOffset[0], 1000L) + epochAndOffset[1];
        long days = Math.floorDiv(local, 86_400L);
        long secs = Math.floorMod(local, 86_400L);
        long[] ymd = civilFromDays(days);
        long offset = epochAndOffset[1];
        char[] out = new char[25];
        put4(out, 0, (int) ymd[0]);
        out[4] = '-';
        put2(out, 5, (int) ymd[1]);
        out[7] = '-';
        put2(out, 8, (int) ymd[2]);
        out[10] = 'T';
        put2(out, 11, (int) (secs / 3600));
        out[13] = ':';
        put2(out, 14, (int) (secs / 60 % 60));
        out[16] = ':';
        put2(out, 17, (int) (secs % 60));
        out[19] = offset < 0 ? '-' : '+';
        long abs = Math.abs(offset);
        put2(out, 20, (int) (abs / 3600));
        out[22] = ':';
        put2(out, 23, (int) (abs / 60 % 60));
        return new String(out);
    }

    private static void put2(char[] out, int at, int v) {
        out[at] = (char) ('0' + v / 10);
        out[at + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] out, int at, int v) {
        put2(out, at, v / 100);
        put2(out, at + 2, v % 100);
    }

    // Howard Hinnant's civil-calendar algorithms: exact for the proleptic Gregorian calendar, no tables.
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static long[] civilFromDays(long z) {
        z += 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return new long[] {m <= 2 ? y + 1 : y, m, d};
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static long code(String month) {
        return (month.charAt(0) << 16) | (month.charAt(1) << 8) | month.charAt(2);
    }

    private static int month(byte[] b, int at) {
        long c = ((b[at] | 0x20) << 16) | ((b[at + 1] | 0x20) << 8) | (b[at + 2] | 0x20);
        for (int m = 0; m < 12; m++) {
            if (MONTH_CODES[m] == c) {
                return m + 1;
            }
        }
        return -1;
    }

    private static int digits(byte[] b, int at, int count) {
        int v = 0;
        for (int k = 0; k < count; k++) {
            int d = b[at + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int parseStatus(byte[] b, int from, int to) {
        return to - from == 3 ? digits(b, from, 3) : -1;
    }

    private static long parseDigits(byte[] b, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int k = from; k < to; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int k = from; k < to; k++) {
            if (b[k] == c) {
                return k;
            }
        }
        return -1;
    }

    private static int tokenEnd(byte[] b, int from, int to) {
        int k = from;
        while (k < to && b[k] != ' ') {
            k++;
        }
        return k;
    }

    /** The next quote not escaped with a backslash, or -1. */
    private static int closingQuote(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == '\\') {
                k++;
            } else if (b[k] == '"') {
                return k;
            }
        }
        return -1;
    }

    /**
     * The quote that ends the request line. Old servers wrote quotes inside it unescaped, so prefer a quote that
     * is followed by a space and a digit (the status); fall back to the first unescaped quote.
     */
    private static int closingQuoteOfRequest(byte[] b, int from, int to) {
        int first = -1;
        for (int k = from; k < to; k++) {
            if (b[k] == '\\') {
                k++;
            } else if (b[k] == '"') {
                if (first < 0) {
                    first = k;
                }
                if (k + 2 < to && b[k + 1] == ' ' && b[k + 2] >= '0' && b[k + 2] <= '9') {
                    return k;
                }
            }
        }
        return first;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static boolean isDash(byte[] b, int from, int to) {
        return to - from == 1 && b[from] == '-';
    }

    private static String dashIsNull(byte[] b, int from, int to) {
        return isDash(b, from, to) ? null : text(b, from, to);
    }

    private static String dashIsNullUnescaped(byte[] b, int from, int to) {
        return isDash(b, from, to) ? null : unescape(b, from, to);
    }

    /** Undoes the quote and backslash escapes of nginx ({@code \x22}, {@code \x5C}) and Apache ({@code \"}). */
    private static String unescape(byte[] b, int from, int to) {
        if (indexOf(b, from, to, (byte) '\\') < 0) {
            return text(b, from, to);
        }
        byte[] out = new byte[to - from];
        int len = 0;
        for (int k = from; k < to; k++) {
            byte c = b[k];
            if (c == '\\' && k + 1 < to) {
                byte next = b[k + 1];
                if (next == '"' || next == '\\') {
                    out[len++] = next;
                    k++;
                    continue;
                }
                if (next == 'x' && k + 3 < to) {
                    int hex = hex(b[k + 2]) * 16 + hex(b[k + 3]);
                    if (hex == 0x22 || hex == 0x5C) {
                        out[len++] = (byte) hex;
                        k += 3;
                        continue;
                    }
                }
            }
            out[len++] = c;
        }
        return new String(out, 0, len, StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1000;
    }
}
