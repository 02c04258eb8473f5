package io.httpmon.parser.format;

import io.httpmon.common.UsageException;
import io.httpmon.common.config.LogSettings;

/**
 * The log format and client a parser applies, resolved once: {@code --log-format}, then
 * {@code HTTPMON_LOG_FORMAT}, then {@code [Log] format}, then auto-detection; checked here so that a mistake is one
 * line naming where the format came from (the config file's line, the option or the variable), before anything
 * starts.
 *
 * @param spec the format as given ({@code auto} when nothing was)
 * @param clients {@code [Log] client} and {@code trusted_proxies}
 * @param choice the compiled choice (for the banner; each parser thread compiles its own from {@code spec})
 */
public record FormatSetting(String spec, ClientPolicy clients, FormatChoice choice) {

    public static FormatSetting resolve(String option, String env, LogSettings file) {
        LogSettings log = file == null ? LogSettings.NONE : file;
        String spec;
        String where;
        if (option != null && !option.isBlank()) {
            spec = option;
            where = "--log-format";
        } else if (env != null && !env.isBlank()) {
            spec = env;
            where = "HTTPMON_LOG_FORMAT";
        } else if (log.format() != null) {
            spec = log.format();
            where = log.formatWhere() != null ? log.formatWhere() : "[Log] format";
        } else {
            spec = LogFormats.AUTO;
            where = null;
        }
        ClientPolicy clients = new ClientPolicy(log.fromForwardedFor(), log.trustedProxies());
        try {
            return new FormatSetting(spec, clients, LogFormats.choose(spec, clients));
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + ": " + e.getMessage());
        }
    }

    /** How the banner shows it. */
    public String describe() {
        if (choice.auto()) {
            return "auto-detected per file (the pick is said once)";
        }
        return choice.fixed().name() + (clients.fromForwardedFor() ? ", client from X-Forwarded-For" : "");
    }
}
