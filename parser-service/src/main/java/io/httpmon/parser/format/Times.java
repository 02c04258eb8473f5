package io.httpmon.parser.format;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** ISO-8601 times as log formats write them. */
final class Times {

    private Times() {}

    /**
     * {@code 2018-07-02T22:23:00.186641Z}, {@code 2026-01-01T00:00:00+01:00} or {@code ...+0100} (a space for the
     * {@code T} too) to {epoch millis, UTC offset in seconds}; null when it is none of them or has no offset.
     */
    static long[] iso(String text) {
        String s = text.strip();
        if (s.length() < 20 || s.length() > 40) {
            return null;
        }
        if (s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        int n = s.length();
        // +0100 to +01:00
        if (n > 5
                && (s.charAt(n - 5) == '+' || s.charAt(n - 5) == '-')
                && Character.isDigit(s.charAt(n - 1))
                && s.indexOf(':', n - 5) < 0) {
            s = s.substring(0, n - 2) + ':' + s.substring(n - 2);
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return new long[] {t.toInstant().toEpochMilli(), t.getOffset().getTotalSeconds()};
        } catch (DateTimeException e) {
            return null;
        }
    }
}
