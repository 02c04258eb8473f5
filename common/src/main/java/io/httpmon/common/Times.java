package io.httpmon.common;

import java.time.Instant;

/** How httpmon writes instants: ISO-8601 UTC with a Z, to the second ({@code 2018-05-09T16:01:02Z}). */
public final class Times {

    private Times() {}

    public static String iso(long epochMillis) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMillis, 1000L)).toString();
    }

    /** A length of time for people, to the two largest units: {@code 45 s}, {@code 3 min 20 s}, {@code 3 h 0 min}, {@code 412 d 7 h}. */
    public static String span(long millis) {
        long s = Math.abs(millis) / 1000;
        String sign = millis < 0 ? "-" : "";
        if (s < 60) {
            return sign + s + " s";
        }
        if (s < 3600) {
            return sign + s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return sign + s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return sign + s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
}
