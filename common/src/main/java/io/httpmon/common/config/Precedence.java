package io.httpmon.common.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one rule by which every service and the monitor resolve a setting: the command line, then the environment,
 * then the config file, then the default. Options are declared without a default (null when not given) so that
 * "given" is simply "not null".
 */
public final class Precedence {

    private Precedence() {}

    /** The first candidate that is set, in precedence order (command line, environment, file, default). */
    @SafeVarargs
    public static <T> T first(T... inOrder) {
        for (T candidate : inOrder) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The environment variable {@code name}, or null when it is unset or blank. */
    public static String env(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The environment variable {@code name} as a path, or null when it is unset or blank. */
    public static Path envPath(Map<String, String> env, String name) {
        String value = env(env, name);
        return value == null ? null : Path.of(value);
    }
}
