package io.httpmon.parser.format;

import io.httpmon.parser.LogLineParser.Result;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The W3C extended log format (IIS and others; CloudFront's is one with tabs): the {@code #Fields:} directive names
 * the columns, and a new directive mid-file (IIS writes one after each restart) changes them from there on. Without
 * a directive, the server's default columns are assumed. Directives and comments ({@code #...}) are skipped. Values
 * are {@code -} when absent; spaces in a value are written as {@code +}. Times are UTC, as the format says.
 */
final class W3cFormat implements LineFormat {

    static final String FIELDS = "#Fields:";

    /** IIS's default columns. */
    static final String IIS_DEFAULT = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
            + "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
    /** CloudFront's standard log columns. */
    static final String CLOUDFRONT_DEFAULT = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
            + "sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id "
            + "x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
            + "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
            + "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start "
            + "sc-range-end";

    private static final Map<String, Field> NAMES = new HashMap<>();

    static {
        NAMES.put("date", Field.DATE);
        NAMES.put("time", Field.TIME_OF_DAY);
        NAMES.put("c-ip", Field.CLIENT);
        NAMES.put("cs-username", Field.USER);
        NAMES.put("cs-method", Field.METHOD);
        NAMES.put("cs-uri-stem", Field.PATH);
        NAMES.put("cs-uri-query", Field.QUERY);
        NAMES.put("cs-uri", Field.URI);
        NAMES.put("cs-version", Field.PROTOCOL);
        NAMES.put("cs-protocol-version", Field.PROTOCOL);
        NAMES.put("sc-status", Field.STATUS);
        NAMES.put("sc-bytes", Field.BYTES);
        NAMES.put("cs(user-agent)", Field.USER_AGENT);
        NAMES.put("cs(referer)", Field.REFERRER);
        NAMES.put("cs-host", Field.VHOST);
        NAMES.put("cs(host)", Field.VHOST);
        NAMES.put("x-host-header", Field.VHOST);
        NAMES.put("x-forwarded-for", Field.FORWARDED_FOR);
        NAMES.put("cs(x-forwarded-for)", Field.FORWARDED_FOR);
    }

    private final String name;
    private final char separator;
    private final String defaultDirective;
    private final boolean secondsTaken;
    private final boolean percentEncoded;
    private final ClientPolicy clients;
    private final RequestFields fields = new RequestFields();
    private String cachedDirective;
    private Field[] cachedColumns;

    /**
     * @param secondsTaken {@code time-taken} is in seconds (CloudFront) rather than milliseconds (IIS)
     * @param percentEncoded values are URL-encoded (CloudFront's user agents) rather than {@code +} for a space
     */
    W3cFormat(
            String name,
            char separator,
            String defaultDirective,
            boolean secondsTaken,
            boolean percentEncoded,
            ClientPolicy clients) {
        this.name = name;
        this.separator = separator;
        this.defaultDirective = defaultDirective;
        this.secondsTaken = secondsTaken;
        this.percentEncoded = percentEncoded;
        this.clients = clients;
    }

    W3cFormat with(ClientPolicy policy) {
        return new W3cFormat(name, separator, defaultDirective, secondsTaken, percentEncoded, policy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result parse(byte[] b, int from, int to, LineContext context) {
        if (to == from) {
            return Result.error("empty line");
        }
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        if (line.startsWith("#")) {
            if (line.startsWith(FIELDS)) {
                context.fieldsDirective(line);
            }
            return Result.SKIPPED;
        }
        Field[] columns = columns(context.fieldsDirective());
        List<String> values = split(line);
        if (values.size() < columns.length - 2 || values.size() > columns.length + 2) {
            return Result.error(values.size() + " fields where "
                    + (context.fieldsDirective() != null ? "#Fields: names " : "the default columns are ")
                    + columns.length + " (format " + name + ")");
        }
        RequestFields f = fields.clear();
        for (int i = 0; i < columns.length && i < values.size(); i++) {
            Field field = columns[i];
            if (field == Field.IGNORED) {
                continue;
            }
            String v = values.get(i);
            if (field == Field.USER_AGENT || field == Field.REFERRER) {
                v = percentEncoded ? decode(v) : v.replace('+', ' ');
            }
            f.set(field, v);
        }
        return f.build(clients);
    }

    private Field[] columns(String directive) {
        String d = directive != null ? directive : FIELDS + " " + defaultDirective;
        if (!d.equals(cachedDirective)) {
            String[] names = d.substring(FIELDS.length()).strip().split("\\s+");
            Field[] columns = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                String n = names[i].toLowerCase(Locale.ROOT);
                columns[i] = n.equals("time-taken")
                        ? (secondsTaken ? Field.DURATION_S : Field.DURATION_MS)
                        : NAMES.getOrDefault(n, Field.IGNORED);
            }
            cachedDirective = d;
            cachedColumns = columns;
        }
        return cachedColumns;
    }

    private List<String> split(String line) {
        List<String> values = new ArrayList<>(32);
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == separator) {
                if (separator != ' ' || i > start) {
                    values.add(line.substring(start, i));
                }
                start = i + 1;
            }
        }
        return values;
    }

    private static String decode(String v) {
        if (v.indexOf('%') < 0) {
            return v;
        }
        try {
            // CloudFront encodes twice in places (%2520): once is what a person reads.
            return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
