package io.httpmon.common.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether the services of this JVM are ready: each registers a check that says why it is not (null when it is).
 * One process, one answer: a service's {@code /health}, or the all-in-one monitor's for all of its services.
 */
public final class Health {

    private static final Map<String, Supplier<String>> CHECKS = new ConcurrentHashMap<>();

    private Health() {}

    /**
     * Adds a check under {@code name} (a later one with the same name replaces it); closing the returned handle
     * removes it again (a stopped service is not part of the answer).
     */
    public static Handle register(String name, Supplier<String> notReadyBecause) {
        CHECKS.put(name, notReadyBecause);
        return () -> CHECKS.remove(name, notReadyBecause);
    }

    /** Each check's answer now: "ready", or why not. Empty while no service has started. */
    public static Report report() {
        Map<String, String> answers = new TreeMap<>();
        boolean ready = !CHECKS.isEmpty();
        for (var check : CHECKS.entrySet()) {
            String why;
            try {
                why = check.getValue().get();
            } catch (RuntimeException e) {
                why = "cannot tell: " + e;
            }
            answers.put(check.getKey(), why == null ? "ready" : why);
            ready &= why == null;
        }
        return new Report(ready, answers);
    }

    /** Something registered, until closed. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** The answer of {@code /health}: ready when every service of the process is. */
    public record Report(boolean ready, Map<String, String> services) {}
}
