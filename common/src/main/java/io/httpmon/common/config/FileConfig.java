package io.httpmon.common.config;

import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a config file says, in the original monitor's INI format plus a {@code [Kafka]} section. A field is null
 * when the file does not set it (the default, or the environment, applies). Everything is checked here, before
 * anything starts: a mistake names the file, the line and the key, and what is accepted.
 */
public record FileConfig(
        Integer interval,
        Integer top,
        Integer grace,
        Integer maxLateness,
        Integer maxFuture,
        Integer sourceIdle,
        List<AlertRule> rules,
        OutputSettings.Destination displayer,
        Path outputFile,
        OutputSettings.Format format,
        Boolean debug,
        Boolean logToStdout,
        String logToFile,
        String bootstrapServers,
        String topicPrefix,
        Integer partitions,
        Path clientConfig,
        Path dataDir,
        AlertmanagerSettings alertmanager,
        LogSettings log,
        DashboardSettings dashboard,
        List<MonitorSettings> monitors) {

    public static final FileConfig NONE = new FileConfig(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            LogSettings.NONE,
            DashboardSettings.DEFAULT,
            List.of());

    private static final Map<String, Set<String>> KEYS = Map.of(
            "Stats", Set.of("interval", "top", "grace", "max_lateness", "max_future", "source_idle"),
            "Output", Set.of("displayer", "file_name", "format"),
            "Logging", Set.of("debug", "log_to_stdout", "log_to_file"),
            "Kafka", Set.of("bootstrap_servers", "topic_prefix", "partitions", "client_config", "data_dir"),
            "Alertmanager", Set.of("url", "resend_interval", "generator_url"),
            "Log", Set.of("format", "client", "trusted_proxies"),
            "Dashboard", Set.of("allow_rule_changes", "hosts", "credentials_file"));
    private static final Set<String> RULE_KEYS = Set.of(
            "kind",
            "threshold",
            "window",
            "section",
            "status",
            "min_hits",
            "for",
            "recover_below",
            "recover_above",
            "quantile",
            "max_alerts",
            "labels",
            "summary");
    private static final String RULE_SECTION = "Alert ";
    private static final List<String> SECTIONS =
            List.of("Stats", "Alerts", "Output", "Logging", "Kafka", "Alertmanager", "Log", "Dashboard");

    /** Reads and checks {@code path}. */
    public static FileConfig read(Path path) {
        return of(IniFile.read(path));
    }

    public static FileConfig of(IniFile ini) {
        for (String section : ini.sections()) {
            if (section.startsWith(RULE_SECTION)) {
                for (IniFile.Entry entry : ini.entries(section)) {
                    if (!RULE_KEYS.contains(entry.key())) {
                        throw new UsageException(ini.path() + ":" + entry.line() + ": [" + section + "] "
                                + entry.key() + ": unknown key; an alert rule accepts "
                                + String.join(", ", RULE_KEYS.stream().sorted().toList()));
                    }
                }
                continue;
            }
            if (section.startsWith(Monitors.SECTION)) {
                continue; // checked by Monitors
            }
            if (!SECTIONS.contains(section)) {
                throw new UsageException(ini.path() + ":" + ini.line(section) + ": unknown section [" + section
                        + "]; accepted: [Log], [Stats], [Stats NAME], [Alerts], [Alert NAME], [Output], [Logging], "
                        + "[Kafka], [Alertmanager], [Dashboard]");
            }
            if (KEYS.containsKey(section)) {
                for (IniFile.Entry entry : ini.entries(section)) {
                    if (!KEYS.get(section).contains(entry.key())) {
                        throw new UsageException(ini.path() + ":" + entry.line() + ": [" + section + "] "
                                + entry.key() + ": unknown key; [" + section + "] accepts "
                                + String.join(
                                        ", ",
                                        KEYS.get(section).stream().sorted().toList()));
                    }
                }
            }
        }
        Values v = new Values(ini);
        Integer interval = v.get(IntSettings.INTERVAL);
        Integer top = v.get(IntSettings.TOP);
        Integer grace = v.get(IntSettings.GRACE);
        Integer maxLateness = v.get(IntSettings.MAX_LATENESS);
        Integer maxFuture = v.get(IntSettings.MAX_FUTURE);
        Integer sourceIdle = v.get(IntSettings.SOURCE_IDLE);

        List<AlertRule> rules = AlertRules.read(ini);

        OutputSettings.Destination displayer = v.get(
                "Output",
                "displayer",
                s -> OutputSettings.Destination.valueOf(s.toLowerCase(Locale.ROOT)),
                "stdout, log or file");
        Path outputFile = v.get("Output", "file_name", FileConfig::path, "a file name");
        OutputSettings.Format format = v.get(
                "Output", "format", s -> OutputSettings.Format.valueOf(s.toLowerCase(Locale.ROOT)), "text or json");
        if (displayer == OutputSettings.Destination.file && outputFile == null) {
            IniFile.Entry entry = v.entry("Output", "displayer");
            throw new UsageException(ini.where(entry) + ": needs file_name = PATH in [Output], the file to append to");
        }

        Boolean debug = v.get("Logging", "debug", FileConfig::bool, "True or False");
        Boolean logToStdout = v.get("Logging", "log_to_stdout", FileConfig::bool, "True or False");
        String logToFile = v.get("Logging", "log_to_file", s -> s, "a file name, or nothing for no log file");

        String bootstrap = v.get(
                "Kafka",
                "bootstrap_servers",
                FileConfig::bootstrap,
                "HOST:PORT[,HOST:PORT...], or nothing for the embedded broker");
        String prefix =
                v.get("Kafka", "topic_prefix", FileConfig::prefix, "letters, digits, '.', '_' and '-' (at most 200)");
        Integer partitions = v.get(IntSettings.PARTITIONS);
        Path clientConfig =
                v.get("Kafka", "client_config", FileConfig::path, "a properties file of Kafka client settings");
        Path dataDir = v.get("Kafka", "data_dir", FileConfig::path, "a directory");
        AlertmanagerSettings alertmanager = null;
        if (ini.has("Alertmanager")) {
            List<java.net.URI> urls = v.get(
                    "Alertmanager",
                    "url",
                    AlertmanagerSettings::urls,
                    "http://HOST:PORT[,http://HOST:PORT...], Alertmanager's address (its API is under /api/v2)");
            if (urls == null) {
                throw new UsageException(
                        ini.path() + ":" + ini.line("Alertmanager") + ": [Alertmanager] needs url = http://HOST:9093");
            }
            Integer resend = v.get(
                    "Alertmanager",
                    "resend_interval",
                    s -> integer(s, 1, 3600),
                    "a whole number of seconds, 1 to 3600");
            java.net.URI generator =
                    v.get("Alertmanager", "generator_url", AlertmanagerSettings::url, "an http:// or https:// URL");
            alertmanager = new AlertmanagerSettings(
                    urls,
                    java.time.Duration.ofSeconds(resend != null ? resend : AlertmanagerSettings.DEFAULT_RESEND),
                    generator);
        }
        return new FileConfig(
                interval,
                top,
                grace,
                maxLateness,
                maxFuture,
                sourceIdle,
                rules,
                displayer,
                outputFile,
                format,
                debug,
                logToStdout,
                logToFile,
                bootstrap,
                prefix,
                partitions,
                clientConfig,
                dataDir,
                alertmanager,
                log(ini, v),
                dashboard(v),
                Monitors.read(ini));
    }

    private static LogSettings log(IniFile ini, Values v) {
        IniFile.Entry formatEntry = v.entry("Log", "format");
        String logFormat = v.get(
                "Log",
                "format",
                s -> {
                    if (s.isBlank()) {
                        throw new IllegalArgumentException();
                    }
                    return s;
                },
                "a preset (auto, combined, common, vhost_combined, caddy, traefik, awsalb, awselb, cloudfront, w3c, "
                        + "haproxy, nginx-json) or the server's log_format / LogFormat string");
        Boolean forwarded = v.get(
                "Log",
                "client",
                s -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "remote_addr" -> false;
                    case "x_forwarded_for" -> true;
                    default -> throw new IllegalArgumentException();
                },
                "remote_addr or x_forwarded_for");
        List<Cidr> trusted = v.get(
                "Log",
                "trusted_proxies",
                s -> s.isBlank()
                        ? List.<Cidr>of()
                        : java.util.Arrays.stream(s.split(",")).map(Cidr::parse).toList(),
                "addresses or blocks such as 10.0.0.0/8, 192.168.1.7, 2001:db8::/32, separated by commas");
        return new LogSettings(
                logFormat,
                formatEntry == null ? null : ini.where(formatEntry),
                Boolean.TRUE.equals(forwarded),
                trusted == null ? List.of() : trusted);
    }

    private static DashboardSettings dashboard(Values v) {
        Boolean allow = v.get("Dashboard", "allow_rule_changes", FileConfig::bool, "true or false");
        List<String> hosts = v.get(
                "Dashboard",
                "hosts",
                s -> {
                    List<String> names = java.util.Arrays.stream(s.split(","))
                            .map(String::strip)
                            .filter(n -> !n.isEmpty())
                            .toList();
                    for (String name : names) {
                        if (!name.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
                            throw new IllegalArgumentException();
                        }
                    }
                    return names;
                },
                "host names or addresses the page is opened under, separated by commas (e.g. monitor.example, "
                        + "10.0.0.5)");
        IniFile.Entry credentialsEntry = v.entry("Dashboard", "credentials_file");
        Map<String, String> credentials = credentialsEntry == null ? Map.of() : credentials(v.ini, credentialsEntry);
        return new DashboardSettings(Boolean.TRUE.equals(allow), hosts == null ? List.of() : hosts, credentials);
    }

    /**
     * The {@code user:password} lines of {@code [Dashboard] credentials_file} (a path relative to the config file's
     * directory, or absolute); blank lines and {@code #} comments are skipped. A file that cannot be read, a line
     * without a colon, or a file without any credentials is a config error naming both files.
     */
    private static Map<String, String> credentials(IniFile ini, IniFile.Entry entry) {
        String where = ini.where(entry);
        Path file = Path.of(entry.value().strip());
        if (!file.isAbsolute() && ini.path() != null && ini.path().getParent() != null) {
            file = ini.path().getParent().resolve(file);
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new UsageException(
                    where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> credentials = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new UsageException(
                        where + ": " + file + ":" + (i + 1) + ": expected user:password (the password is not shown)");
            }
            credentials.put(line.substring(0, colon), line.substring(colon + 1));
        }
        if (credentials.isEmpty()) {
            throw new UsageException(where + ": " + file + " holds no user:password line");
        }
        return credentials;
    }

    static int integer(String s, int min, int max) {
        int value = Integer.parseInt(s);
        if (value < min || value > max) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    // configparser's getboolean().
    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> true;
            case "0", "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException();
        };
    }

    private static Path path(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException();
        }
        return Path.of(s);
    }

    private static String bootstrap(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (String server : s.split(",")) {
            String hostPort = server.strip();
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException();
            }
            integer(hostPort.substring(colon + 1), 1, 65_535);
        }
        return s;
    }

    public static String prefix(String s) {
        if (!s.matches("[A-Za-z0-9._-]{0,200}")) {
            throw new IllegalArgumentException();
        }
        return s;
    }

    /** {@code entry}'s value parsed, null without the entry; a bad value is "file:line: [Section] key = value: expected ...". */
    static <T> T value(IniFile ini, IniFile.Entry entry, Function<String, T> parse, String accepted) {
        if (entry == null) {
            return null;
        }
        try {
            return parse.apply(entry.value());
        } catch (IllegalArgumentException e) {
            throw new UsageException(ini.where(entry) + ": expected " + accepted);
        }
    }

    /** Typed lookups that turn a bad value into "file:line: [Section] key = value: expected ...". */
    private static final class Values {
        private final IniFile ini;

        Values(IniFile ini) {
            this.ini = ini;
        }

        IniFile.Entry entry(String section, String key) {
            return ini.entries(section).stream()
                    .filter(e -> e.key().equals(key))
                    .findFirst()
                    .orElse(null);
        }

        <T> T get(String section, String key, Function<String, T> parse, String accepted) {
            return value(ini, entry(section, key), parse, accepted);
        }

        Integer get(IntSetting setting) {
            return get(setting.section(), setting.key(), setting::parse, setting.accepted());
        }
    }
}
