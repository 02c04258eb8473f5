package io.httpmon.generator;

import io.httpmon.common.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of traffic: {@code seconds} long (0 = until stopped) at {@code rate} lines per second. Written as
 * {@code 30s@2} (30 s at 2 lines/s); phases are separated by commas, and only the last may omit its length.
 */
public record Phase(long seconds, double rate) {

    public Phase {
        if (seconds < 0) {
            throw new IllegalArgumentException("a phase cannot last a negative time");
        }
        if (!(rate >= 0) || rate > 10_000_000) {
            throw new IllegalArgumentException("a rate must be 0 to 10000000 lines per second");
        }
    }

    public boolean endless() {
        return seconds == 0;
    }

    /** Parses {@code 30s@2,60s@40,@2}. */
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
            try {
                seconds = length.isEmpty()
                        ? 0
                        : Long.parseLong(length.endsWith("s") ? length.substring(0, length.length() - 1) : length);
                rate = Double.parseDouble(part.substring(at + 1).strip());
                if (!length.isEmpty() && seconds == 0) {
                    throw new IllegalArgumentException("a phase lasts at least 1 s");
                }
                phases.add(new Phase(seconds, rate));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--phases " + spec + ": '" + part + "': "
                        + (e instanceof NumberFormatException ? "expected SECONDSs@RATE, e.g. 30s@2" : e.getMessage()));
            }
            if (seconds == 0 && i < parts.length - 1) {
                throw new UsageException("--phases " + spec + ": only the last phase may run without an end");
            }
        }
        return phases;
    }
}
