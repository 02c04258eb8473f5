package io.httpmon.common.model;

import java.util.List;
import java.util.Locale;

/**
 * The class of an HTTP status, the one definition the statistics, the alert rules, {@code hits-per-second} and the
 * dashboard share (the page's copy is checked against it by a test): {@code 1xx} to {@code 5xx} for 100 to 599,
 * {@code other} for anything else a log may hold (0, 999, ...).
 */
public enum StatusClass {
    INFORMATIONAL("1xx"),
    SUCCESS("2xx"),
    REDIRECTION("3xx"),
    CLIENT_ERROR("4xx"),
    SERVER_ERROR("5xx"),
    OTHER("other");

    /** The classes a statistics record always lists, even at 0 (the original's four); the others when not 0. */
    public static final List<StatusClass> ALWAYS_LISTED = List.of(SUCCESS, REDIRECTION, CLIENT_ERROR, SERVER_ERROR);
    /** The classes a rule may name ({@code status = 4xx, 5xx}). */
    public static final List<StatusClass> NAMEABLE =
            List.of(INFORMATIONAL, SUCCESS, REDIRECTION, CLIENT_ERROR, SERVER_ERROR);

    private static final StatusClass[] BY_HUNDRED = {
        null, INFORMATIONAL, SUCCESS, REDIRECTION, CLIENT_ERROR, SERVER_ERROR
    };

    private final String label;

    StatusClass(String label) {
        this.label = label;
    }

    /** How it is written: {@code 5xx}, {@code other}. */
    public String label() {
        return label;
    }

    public static StatusClass of(int status) {
        return status >= 100 && status < 600 ? BY_HUNDRED[status / 100] : OTHER;
    }

    /** The class written as {@code label} ({@code 5xx}, case-insensitive), or null. */
    public static StatusClass parse(String label) {
        String l = label.strip().toLowerCase(Locale.ROOT);
        for (StatusClass c : values()) {
            if (c.label.equals(l)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label;
    }
}
