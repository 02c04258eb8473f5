package io.httpmon.common.model;

import java.util.Map;

/**
 * One transition of an alert rule, as published on {@code alerts} (key: the rule name). The first ten fields are
 * the original's; the rest are what Prometheus and Alertmanager users expect of an alert.
 *
 * @param alert the rule's name, e.g. {@code alert_1}
 * @param state whether the rule began firing or resolved
 * @param hits the average hits per second of the requests the rule counts, over its window at {@code at}, rounded
 *     down
 * @param average that average, unrounded
 * @param threshold the rule's threshold (hits per second, or a share for {@code error_ratio})
 * @param windowSeconds the rule's window
 * @param at the second of the transition, ISO-8601 UTC
 * @param triggeredAt when the alert began firing
 * @param recoveredAt when it recovered (RESOLVED only)
 * @param message the line the monitor prints, in the original's words for high traffic
 * @param kind the rule's kind: {@code high_traffic}, {@code low_traffic}, {@code error_ratio}, {@code status_rate}
 * @param value what the rule measured at {@code at}: hits per second, or the share for {@code error_ratio}
 * @param status {@code firing} or {@code resolved}, as Alertmanager says it
 * @param labels the rule's labels, with {@code alertname}
 * @param annotations {@code summary}: one line for people
 * @param startsAt when it began firing (= {@code triggeredAt})
 * @param endsAt when it resolved; null while firing
 * @param fingerprint Alertmanager's fingerprint of the labels (16 hex digits): the same alert across transitions
 */
public record AlertEvent(
        String alert,
        State state,
        long hits,
        double average,
        double threshold,
        int windowSeconds,
        String at,
        String triggeredAt,
        String recoveredAt,
        String message,
        String kind,
        double value,
        String status,
        Map<String, String> labels,
        Map<String, String> annotations,
        String startsAt,
        String endsAt,
        String fingerprint) {

    /** A high-traffic rule's transition, with labels {@code alertname} only (what the original knew of). */
    public AlertEvent(
            String alert,
            State state,
            long hits,
            double average,
            double threshold,
            int windowSeconds,
            String at,
            String triggeredAt,
            String recoveredAt,
            String message) {
        this(
                alert,
                state,
                hits,
                average,
                threshold,
                windowSeconds,
                at,
                triggeredAt,
                recoveredAt,
                message,
                "high_traffic",
                average,
                state == State.FIRING ? "firing" : "resolved",
                Map.of("alertname", alert),
                Map.of("summary", message),
                triggeredAt,
                recoveredAt,
                fingerprint(Map.of("alertname", alert)));
    }

    /** The two transitions; in JSON by name. */
    public enum State {
        FIRING,
        RESOLVED
    }

    /**
     * Alertmanager's fingerprint of a label set (its {@code model.LabelSet.Fingerprint}): FNV-1a 64 over the labels
     * sorted by name, each name and value followed by the byte 255.
     */
    public static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (var label : new java.util.TreeMap<>(labels).entrySet()) {
            for (String s : new String[] {label.getKey(), label.getValue()}) {
                for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    hash ^= b & 0xff;
                    hash *= 0x100000001b3L;
                }
                hash ^= 0xff;
                hash *= 0x100000001b3L;
            }
        }
        return String.format("%016x", hash);
    }
}
