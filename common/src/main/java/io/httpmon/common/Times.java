package io.httpmon.common;

import java.time.Instant;

/** How httpmon writes instants: ISO-8601 UTC with a Z, to the second ({@code 2018-05-09T16:01:02Z}). */
public final class Times {

    private Times() {
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMillis, 1000L)).toString();
    }
}
