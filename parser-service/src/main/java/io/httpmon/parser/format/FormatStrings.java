package io.httpmon.parser.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the format lines of web servers' own configs into {@link LineFormat}s: nginx's {@code log_format}
 * ({@code $remote_addr - $remote_user [$time_local] "$request" ...}, also a JSON template
 * {@code {"status":"$status",...}}) and Apache's {@code LogFormat} ({@code %h %l %u %t \"%r\" %>s %b %D}). The line
 * may be pasted as it stands in the server's config: {@code log_format main '...' '...';} and
 * {@code LogFormat "..." combined} are unwrapped.
 */
public final class FormatStrings {

    /** nginx variables by meaning; any other variable is a field httpmon reads past. */
    static final Map<String, Field> NGINX = new HashMap<>();
    /** httpmon's own names for the presets' fields that no nginx variable means. */
    static final Map<String, Field> OWN = Map.of(
            "httpmon_client_port", Field.CLIENT_PORT,
            "httpmon_duration_ms", Field.DURATION_MS,
            "httpmon_duration_part", Field.DURATION_PART_S,
            "httpmon_ignored", Field.IGNORED);

    static {
        put(NGINX, Field.CLIENT, "remote_addr", "realip_remote_addr");
        put(NGINX, Field.USER, "remote_user");
        put(NGINX, Field.TIME_CLF, "time_local");
        put(NGINX, Field.TIME_ISO, "time_iso8601");
        put(NGINX, Field.TIME_EPOCH_S, "msec");
        put(NGINX, Field.REQUEST_LINE, "request");
        put(NGINX, Field.METHOD, "request_method");
        put(NGINX, Field.URI, "request_uri");
        put(NGINX, Field.PATH, "uri", "document_uri");
        put(NGINX, Field.QUERY, "args", "query_string");
        put(NGINX, Field.PROTOCOL, "server_protocol");
        put(NGINX, Field.STATUS, "status");
        put(NGINX, Field.BYTES, "body_bytes_sent", "bytes_sent");
        put(NGINX, Field.REFERRER, "http_referer", "http_referrer");
        put(NGINX, Field.USER_AGENT, "http_user_agent");
        put(NGINX, Field.FORWARDED_FOR, "http_x_forwarded_for");
        put(NGINX, Field.VHOST, "host", "http_host", "server_name");
        put(NGINX, Field.DURATION_S, "request_time");
        put(NGINX, Field.UPSTREAM, "upstream_addr");
    }

    private static void put(Map<String, Field> map, Field field, String... names) {
        for (String n : names) {
            map.put(n, field);
        }
    }

    private static final Pattern NGINX_VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)\\}|([A-Za-z0-9_]+))");
    private static final Pattern JSON_PAIR = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"?\\$\\{?([A-Za-z0-9_]+)\\}?\"?");

    private FormatStrings() {}

    /** Whether {@code spec} looks like an nginx format (it has a {@code $variable}). */
    static boolean isNginx(String spec) {
        return NGINX_VARIABLE.matcher(spec).find();
    }

    /** Whether {@code spec} looks like an Apache format (it has a {@code %} directive). */
    static boolean isApache(String spec) {
        return spec.matches("(?s).*%[<>]?[!0-9,]*(\\{[^}]*\\})?[a-zA-Z].*");
    }

    /** Compiles an nginx {@code log_format} string. IllegalArgumentException says what is wrong with it. */
    public static LineFormat nginx(String spec, ClientPolicy clients) {
        String body = unwrapNginx(spec);
        if (body.strip().startsWith("{")) {
            return nginxJson(body, clients);
        }
        List<String> literals = new ArrayList<>();
        List<TemplateFormat.Slot> slots = new ArrayList<>();
        Matcher m = NGINX_VARIABLE.matcher(body);
        int at = 0;
        while (m.find()) {
            literals.add(body.substring(at, m.start()));
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            slots.add(new TemplateFormat.Slot(nginxField(name), "$" + name));
            at = m.end();
        }
        literals.add(body.substring(at));
        mergeUri(literals, slots);
        return checked(new TemplateFormat(body, literals, slots, clients));
    }

    /**
     * A path written right before its query ({@code %U%q}, {@code $uri$is_args$args}) is one field, the URI: the
     * query has no separator of its own to end the path at.
     */
    private static void mergeUri(List<String> literals, List<TemplateFormat.Slot> slots) {
        for (int k = 0; k + 1 < slots.size(); k++) {
            if (slots.get(k).field() != Field.PATH || !literals.get(k + 1).isEmpty()) {
                continue;
            }
            int last = k + 1;
            if (slots.get(last).token().equals("$is_args")
                    && last + 1 < slots.size()
                    && literals.get(last + 1).isEmpty()) {
                last++;
            }
            if (slots.get(last).field() != Field.QUERY) {
                continue;
            }
            StringBuilder token = new StringBuilder();
            for (int j = k; j <= last; j++) {
                token.append(slots.get(j).token());
            }
            for (int j = last; j > k; j--) {
                slots.remove(j);
                literals.remove(j);
            }
            slots.set(k, new TemplateFormat.Slot(Field.URI, token.toString()));
        }
    }

    static Field nginxField(String name) {
        Field f = NGINX.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            f = OWN.get(name.toLowerCase(Locale.ROOT));
        }
        return f == null ? Field.IGNORED : f;
    }

    /** A JSON {@code log_format} ({@code escape=json}): each key whose value is one variable is that field. */
    private static LineFormat nginxJson(String body, ClientPolicy clients) {
        Map<String, Field> keys = new LinkedHashMap<>();
        Matcher m = JSON_PAIR.matcher(body);
        while (m.find()) {
            keys.put(m.group(1), nginxField(m.group(2)));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a JSON format needs \"key\": \"$variable\" pairs");
        }
        List<JsonFormat.Mapping> mappings = new ArrayList<>();
        keys.forEach((key, field) -> mappings.add(new JsonFormat.Mapping(field, key)));
        return checked(new JsonFormat(body, mappings, null, clients));
    }

    /** Compiles an Apache {@code LogFormat} string. IllegalArgumentException says what is wrong with it. */
    public static LineFormat apache(String spec, ClientPolicy clients) {
        String body = unwrapApache(spec);
        List<String> literals = new ArrayList<>();
        List<TemplateFormat.Slot> slots = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < body.length() && body.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            int start = i;
            i++;
            while (i < body.length() && "<>!0123456789,".indexOf(body.charAt(i)) >= 0) {
                i++;
            }
            String argument = null;
            if (i < body.length() && body.charAt(i) == '{') {
                int close = body.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'" + body.substring(start) + "': no closing '}'");
                }
                argument = body.substring(i + 1, close);
                i = close + 1;
            }
            if (i >= body.length() || !Character.isLetter(body.charAt(i))) {
                throw new IllegalArgumentException("'" + body.substring(start, Math.min(body.length(), i + 1))
                        + "' is not an Apache format directive (%h, %t, %>s, %{Header}i, ...)");
            }
            char directive = body.charAt(i);
            i++;
            literals.add(literal.toString());
            literal.setLength(0);
            slots.add(new TemplateFormat.Slot(apacheField(directive, argument), body.substring(start, i)));
        }
        literals.add(literal.toString());
        mergeUri(literals, slots);
        return checked(new TemplateFormat(body, literals, slots, clients));
    }

    static Field apacheField(char directive, String argument) {
        String arg = argument == null ? null : argument.toLowerCase(Locale.ROOT);
        return switch (directive) {
            case 'h', 'a' -> Field.CLIENT;
            case 'l' -> Field.IDENT;
            case 'u' -> Field.USER;
            case 't' ->
                arg == null
                        ? Field.TIME_CLF_BRACKETED
                        : switch (arg) {
                            case "sec" -> Field.TIME_EPOCH_S;
                            case "msec" -> Field.TIME_EPOCH_MS;
                            case "usec" -> Field.TIME_EPOCH_US;
                            case "%d/%b/%y:%h:%m:%s %z" -> Field.TIME_CLF;
                            case "%y-%m-%dt%h:%m:%s%z" -> Field.TIME_ISO;
                            default ->
                                throw new IllegalArgumentException("%{" + argument + "}t: httpmon reads %t, %{sec}t, "
                                        + "%{msec}t, %{usec}t, %{%d/%b/%Y:%H:%M:%S %z}t and %{%Y-%m-%dT%H:%M:%S%z}t");
                        };
            case 'r' -> Field.REQUEST_LINE;
            case 'm' -> Field.METHOD;
            case 'U' -> Field.PATH;
            case 'q' -> Field.QUERY;
            case 'H' -> Field.PROTOCOL;
            case 's' -> Field.STATUS;
            case 'b', 'B', 'O' -> Field.BYTES;
            case 'v', 'V' -> Field.VHOST;
            case 'D' -> Field.DURATION_US;
            case 'T' ->
                arg == null || arg.equals("s")
                        ? Field.DURATION_S
                        : arg.equals("ms") ? Field.DURATION_MS : arg.equals("us") ? Field.DURATION_US : Field.IGNORED;
            case 'i' ->
                arg == null
                        ? Field.IGNORED
                        : switch (arg) {
                            case "referer", "referrer" -> Field.REFERRER;
                            case "user-agent" -> Field.USER_AGENT;
                            case "x-forwarded-for" -> Field.FORWARDED_FOR;
                            case "host" -> Field.VHOST;
                            default -> Field.IGNORED;
                        };
            default -> Field.IGNORED;
        };
    }

    /** A format must give at least a client, a time and a status to make requests of its lines. */
    private static <T extends LineFormat> T checked(T format) {
        List<Field> fields = format instanceof TemplateFormat t
                ? t.fields()
                : ((JsonFormat) format)
                        .mappings().stream().map(JsonFormat.Mapping::field).toList();
        List<String> missing = new ArrayList<>();
        if (!fields.contains(Field.CLIENT) && !fields.contains(Field.CLIENT_PORT)) {
            missing.add("the client ($remote_addr, %h)");
        }
        if (fields.stream().noneMatch(f -> f.name().startsWith("TIME_") || f == Field.DATE)) {
            missing.add("the time ($time_local, $time_iso8601, $msec, %t)");
        }
        if (!fields.contains(Field.STATUS)) {
            missing.add("the status ($status, %>s)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the format lacks " + String.join(", ", missing)
                    + ": httpmon needs a client, a time and a status to count a request");
        }
        return format;
    }

    /**
     * {@code log_format main escape=json '...' '...';} to the format itself: the directive, its name and options
     * and the trailing semicolon go, quoted pieces are joined. Unquoted text is the format as it is.
     */
    static String unwrapNginx(String spec) {
        String s = spec.strip();
        if (s.startsWith("log_format")) {
            s = s.substring("log_format".length()).strip();
            int quote = firstQuote(s);
            if (quote < 0) {
                throw new IllegalArgumentException("log_format without a quoted format");
            }
            s = s.substring(quote);
        }
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.isEmpty() || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int pieces = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c != '\'' && c != '"') {
                return s; // not a sequence of quoted pieces: take it as written
            }
            int k = i + 1;
            StringBuilder piece = new StringBuilder();
            while (k < s.length() && s.charAt(k) != c) {
                if (s.charAt(k) == '\\' && k + 1 < s.length()) {
                    k++;
                }
                piece.append(s.charAt(k));
                k++;
            }
            if (k >= s.length()) {
                return s;
            }
            out.append(piece);
            pieces++;
            i = k + 1;
        }
        // "$request" "$status" is a format whose fields are quoted, not two quoted pieces of config: pieces of
        // config are single-quoted, escape their double quotes, or are one piece.
        return s.charAt(0) == '\'' || pieces == 1 || s.contains("\\\"") ? out.toString() : s;
    }

    /** {@code LogFormat "%h ... \"%r\" ..." combined} to the format itself, quotes unescaped. */
    static String unwrapApache(String spec) {
        String s = spec.strip();
        if (s.regionMatches(true, 0, "LogFormat", 0, 9) || s.regionMatches(true, 0, "CustomLog", 0, 9)) {
            s = s.substring(9).strip();
            if (spec.strip().regionMatches(true, 0, "CustomLog", 0, 9)) {
                int quote = s.indexOf('"');
                s = quote < 0 ? s : s.substring(quote); // CustomLog FILE "format"
            }
        }
        if (s.startsWith("\"") && wrapped(s)) {
            StringBuilder out = new StringBuilder();
            int k = 1;
            while (k < s.length() && s.charAt(k) != '"') {
                char c = s.charAt(k);
                if (c == '\\' && k + 1 < s.length()) {
                    char next = s.charAt(k + 1);
                    out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
                    k += 2;
                    continue;
                }
                out.append(c);
                k++;
            }
            return out.toString();
        }
        return s;
    }

    /**
     * Whether {@code s} is one quoted string (then a nickname may follow), as in httpd.conf, rather than a format
     * that starts with a quoted field ({@code "%r" %>s}).
     */
    private static boolean wrapped(String s) {
        int k = 1;
        while (k < s.length() && s.charAt(k) != '"') {
            k += s.charAt(k) == '\\' ? 2 : 1;
        }
        if (k >= s.length()) {
            return false;
        }
        String rest = s.substring(k + 1).strip();
        return rest.isEmpty() || rest.matches("[A-Za-z0-9_-]+");
    }

    private static int firstQuote(String s) {
        int a = s.indexOf('\'');
        int b = s.indexOf('"');
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
