package io.httpmon.common.config;

import java.util.List;

/**
 * The config file's {@code [Log]} section: how the access log is written and who its client is.
 *
 * @param format {@code format}: a preset's name, {@code auto}, or a format string from the server's config; null
 *     when not set (then {@code --log-format}, {@code HTTPMON_LOG_FORMAT} or auto-detection)
 * @param formatWhere where {@code format} is set ({@code file:line: [Log] format = ...}), for a mistake in it that
 *     only the parser can see
 * @param fromForwardedFor {@code client = x_forwarded_for}: the client is taken from {@code X-Forwarded-For}
 * @param trustedProxies {@code trusted_proxies}: the proxies whose addresses in {@code X-Forwarded-For} are not the
 *     client's
 */
public record LogSettings(String format, String formatWhere, boolean fromForwardedFor, List<Cidr> trustedProxies) {

    public static final LogSettings NONE = new LogSettings(null, null, false, List.of());

    public LogSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
