package io.httpmon.parser.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The formats httpmon reads: the presets, by the names users know them by, and {@link #choose} to turn
 * {@code [Log] format} (a preset, {@code auto}, or a format string pasted from nginx's or Apache's config) into
 * what the parser uses.
 */
public final class LogFormats {

    public static final String AUTO = "auto";

    /** nginx's and Apache's combined and common formats: a pasted one of these gets the hand-written parser. */
    private static final List<String> CLASSIC_NGINX = List.of(
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
                    + "\"$http_user_agent\"",
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent");

    private static final List<String> CLASSIC_APACHE = List.of(
            "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"",
            "%h %l %u %t \"%r\" %>s %b", "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"");

    private LogFormats() {}

    /** The preset of JSON lines whose keys are nginx's variable names. */
    static final String NGINX_JSON = "nginx-json";

    /** The presets in the order auto-detection tries them: the more specific first, as a tie goes to the first. */
    public static Map<String, LineFormat> presets(ClientPolicy clients) {
        Map<String, LineFormat> p = new LinkedHashMap<>();
        p.put(
                "caddy",
                new JsonFormat(
                        "caddy",
                        List.of(
                                new JsonFormat.Mapping(Field.TIME_EPOCH_S, "ts"),
                                new JsonFormat.Mapping(Field.CLIENT, "request", "client_ip"),
                                new JsonFormat.Mapping(Field.CLIENT, "request", "remote_ip"),
                                new JsonFormat.Mapping(Field.CLIENT_PORT, "request", "remote_addr"),
                                new JsonFormat.Mapping(Field.METHOD, "request", "method"),
                                new JsonFormat.Mapping(Field.URI, "request", "uri"),
                                new JsonFormat.Mapping(Field.PROTOCOL, "request", "proto"),
                                new JsonFormat.Mapping(Field.VHOST, "request", "host"),
                                new JsonFormat.Mapping(Field.USER_AGENT, "request", "headers", "User-Agent"),
                                new JsonFormat.Mapping(Field.REFERRER, "request", "headers", "Referer"),
                                new JsonFormat.Mapping(Field.FORWARDED_FOR, "request", "headers", "X-Forwarded-For"),
                                new JsonFormat.Mapping(Field.USER, "user_id"),
                                new JsonFormat.Mapping(Field.STATUS, "status"),
                                new JsonFormat.Mapping(Field.BYTES, "size"),
                                new JsonFormat.Mapping(Field.DURATION_S, "duration")),
                        null,
                        clients));
        p.put(NGINX_JSON, new JsonFormat(NGINX_JSON, List.of(), FormatStrings.NGINX, clients));
        p.put(
                "awsalb",
                template(
                        "awsalb",
                        "$httpmon_ignored $time_iso8601 $httpmon_ignored $httpmon_client_port "
                                + "$upstream_addr $httpmon_duration_part $httpmon_duration_part $httpmon_duration_part $status "
                                + "$httpmon_ignored $httpmon_ignored $body_bytes_sent \"$request\" \"$http_user_agent\" "
                                + "$httpmon_ignored $httpmon_ignored $httpmon_ignored \"$httpmon_ignored\" \"$host\"",
                        clients));
        p.put(
                "awselb",
                template(
                        "awselb",
                        "$time_iso8601 $httpmon_ignored $httpmon_client_port $upstream_addr "
                                + "$httpmon_duration_part $httpmon_duration_part $httpmon_duration_part $status $httpmon_ignored "
                                + "$httpmon_ignored $body_bytes_sent \"$request\" \"$http_user_agent\"",
                        clients));
        p.put("cloudfront", new W3cFormat("cloudfront", '\t', W3cFormat.CLOUDFRONT_DEFAULT, true, true, clients));
        p.put("w3c", new W3cFormat("w3c", ' ', W3cFormat.IIS_DEFAULT, false, false, clients));
        p.put("haproxy", new HaproxyFormat(clients));
        p.put(
                "traefik",
                template(
                        "traefik",
                        "$remote_addr - $remote_user [$time_local] \"$request\" $status "
                                + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $httpmon_ignored \"$httpmon_ignored\" "
                                + "\"$upstream_addr\" $httpmon_duration_ms",
                        clients));
        p.put("vhost_combined", new ClassicFormat("vhost_combined", clients));
        p.put("combined", new ClassicFormat("combined", clients));
        p.put("common", new ClassicFormat("common", clients));
        return p;
    }

    /** Every preset name, and {@code auto}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(presets(ClientPolicy.REMOTE_ADDR).keySet());
        names.add(AUTO);
        return names;
    }

    private static TemplateFormat template(String name, String nginx, ClientPolicy clients) {
        return ((TemplateFormat) FormatStrings.nginx(nginx, clients)).named(name);
    }

    /**
     * What {@code spec} asks for: null or {@code auto} for detection, a preset's name, or a format string (nginx's
     * when it has a {@code $variable}, Apache's when it has a {@code %} directive).
     *
     * @throws IllegalArgumentException with what is wrong, for the user
     */
    public static FormatChoice choose(String spec, ClientPolicy clients) {
        Map<String, LineFormat> presets = presets(clients);
        List<LineFormat> candidates = List.copyOf(presets.values());
        String s = spec == null ? AUTO : spec.strip();
        String lower = s.toLowerCase(Locale.ROOT).replace('-', '_');
        if (s.isEmpty() || lower.equals(AUTO)) {
            return new FormatChoice(null, candidates);
        }
        for (Map.Entry<String, LineFormat> e : presets.entrySet()) {
            if (e.getKey().replace('-', '_').equals(lower)) {
                return new FormatChoice(e.getValue(), candidates);
            }
        }
        LineFormat compiled;
        if (FormatStrings.isNginx(s)) {
            compiled = FormatStrings.nginx(s, clients);
        } else if (FormatStrings.isApache(s)) {
            compiled = FormatStrings.apache(s, clients);
        } else {
            throw new IllegalArgumentException("'" + s + "' is neither a preset (" + String.join(", ", names())
                    + ") nor a format string (nginx's log_format with $variables, Apache's LogFormat with %"
                    + " directives)");
        }
        return new FormatChoice(classic(compiled, clients), candidates);
    }

    /** A compiled format laid out as combined or common is read by the hand-written parser (the fast one). */
    private static LineFormat classic(LineFormat compiled, ClientPolicy clients) {
        if (!(compiled instanceof TemplateFormat t)) {
            return compiled;
        }
        String[] names = {"combined", "common"};
        for (int k = 0; k < CLASSIC_NGINX.size(); k++) {
            if (((TemplateFormat) FormatStrings.nginx(CLASSIC_NGINX.get(k), clients))
                    .layout()
                    .equals(t.layout())) {
                return new ClassicFormat(names[k], clients);
            }
        }
        String[] apacheNames = {"combined", "common", "vhost_combined"};
        for (int k = 0; k < CLASSIC_APACHE.size(); k++) {
            if (((TemplateFormat) FormatStrings.apache(CLASSIC_APACHE.get(k), clients))
                    .layout()
                    .equals(t.layout())) {
                return new ClassicFormat(apacheNames[k], clients);
            }
        }
        return compiled;
    }
}
