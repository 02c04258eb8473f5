package io.httpmon.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where alert transitions are delivered besides the {@code alerts} topic: the config's {@code [Alertmanager]}.
 *
 * @param urls Alertmanager instances (each gets every alert, as Prometheus does with a highly available pair)
 * @param resendInterval how often firing alerts are sent again, so that Alertmanager does not time them out
 * @param generatorUrl the link an alert carries back to its source; null: none
 */
public record AlertmanagerSettings(List<URI> urls, Duration resendInterval, URI generatorUrl) {

    /** Prometheus re-sends firing alerts every minute by default; Alertmanager's resolve_timeout is 5 minutes. */
    public static final int DEFAULT_RESEND = 60;

    public AlertmanagerSettings {
        urls = List.copyOf(urls);
    }

    /** {@code http://HOST:PORT[,http://HOST:PORT...]}. */
    static List<URI> urls(String s) {
        List<URI> urls = new ArrayList<>();
        for (String part : s.split(",")) {
            urls.add(url(part.strip()));
        }
        return urls;
    }

    static URI url(String s) {
        URI uri = URI.create(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(s);
        }
        return uri;
    }
}
