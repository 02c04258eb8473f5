package io.httpmon.generator;

import io.httpmon.common.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of traffic: {@code seconds} long (0 = until stopped) at {@code rate} lines per second, its requests
 * taking {@code responseMillis} (a median) where response times are written. Written as {@code 30s@2} (30 s at 2
 * lines/s) or {@code 30s@2~1500} (and responses of about 1.5 s: a slow phase); phases are separated by commas, and
 * only the last may omit its length.
 *
 * @param responseMillis the median response time of the phase in ms; null: the generator's default
 */
public record Phase(long seconds, double rate, Double responseMillis) {

    public Phase(long seconds, double rate) {
        this(seconds, rate, null);
    }

    public Phase {
        if (seconds < 0) {
            throw new IllegalArgumentException("a phase cannot last a negative time");
        }
        if (!(rate >= 0) || rate > 10_000_000) {
            throw new IllegalArgumentException("a rate must be 0 to 10000000 lines per second");
        }
        if (responseMillis != null && !(responseMillis >= 0 && responseMillis <= 3_600_000)) {
            throw new IllegalArgumentException("a response time must be 0 to 3600000 ms");
        }
    }

    public boolean endless() {
        return seconds == 0;
    }

    /** Parses {@code 30s@2,60s@40~2000,@2}. */
    public static List<Phase> parse(String spec) {
        List<Phase> phases = new ArrayList<>();
        String[] parts = spec.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            int at = part.indexOf('@');
            if (at < 0) {
                throw new UsageException("--phases " + spec + ": '" + part + "' is not SECONDSs@RATE, e.g. 30s@2");
            }
            String length = part.substring(0, at).strip();
            long seconds;
            double rate;
            Double millis = null;
            try {
                seconds = length.isEmpty()
                        ? 0
                        : Long.parseLong(length.endsWith("s") ? length.substring(0, length.length() - 1) : length);
                String speed = part.substring(at + 1).strip();
                int tilde = speed.indexOf('~');
                if (tilde >= 0) {
                    millis = Double.parseDouble(speed.substring(tilde + 1).strip());
                    speed = speed.substring(0, tilde).strip();
                }
                rate = Double.parseDouble(speed);
                if (!length.isEmpty() && seconds == 0) {
                    throw new IllegalArgumentException("a phase lasts at least 1 s");
                }
                phases.add(new Phase(seconds, rate, millis));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--phases " + spec + ": '" + part + "': "
                        + (e instanceof NumberFormatException
                                ? "expected SECONDSs@RATE[~MS], e.g. 30s@2 or 30s@2~1500"
                                : e.getMessage()));
            }
            if (seconds == 0 && i < parts.length - 1) {
                throw new UsageException("--phases " + spec + ": only the last phase may run without an end");
            }
        }
        return phases;
    }
}
