package io.httpmon.alert;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.httpmon.common.config.AlertRule;
import io.httpmon.windowing.ResponseTimeBuckets;
import java.util.TreeMap;

/**
 * One rule's evaluation state, kept in a changelogged store so a restart neither repeats nor misses a transition:
 * the rule it counts for, the last {@code window} per-second counts (a ring) of the requests the rule counts and, for
 * an error ratio, of all the requests of its section; their sums; how many seconds it has seen (up to the window);
 * since when its condition holds (pending) and since when it fires. Changed in place, a second at a time: a copy per
 * second would cost the window's length (up to a day of seconds). A latency rule also keeps each second's response
 * times as bucket counts ({@link ResponseTimeBuckets#ALERT}) and the window's sum of them, to read its quantile from.
 * A client_rate rule keeps here the second it started counting, its clients that are pending or firing, and
 * whether its alert for the clients beyond {@code max_alerts} fires; the clients' counts are the seconds' records
 * of the client store ({@link AlertSink}), shared by every client_rate rule.
 */
final class RuleState {

    private AlertRule rule;
    private final long[] ring;
    private final long[] totals;
    private int position;
    private long sum;
    private long totalSum;
    private int seen;
    private long pendingSince;
    private String triggeredAt;
    /** Latency: each second's {bucket, count, bucket, count...}, a ring beside {@link #ring}. */
    private final long[][] latency;
    /** Latency: the window's bucket counts (the sum of {@link #latency}), rebuilt on load. */
    private final TreeMap<Integer, Long> histogram = new TreeMap<>();
    /** client_rate: the first second it counted (a restart rebuilds its clients' windows from there on). */
    private long clientsSince = -1;
    /** client_rate: its clients pending or firing: {pending_since, triggered_at or null}. */
    private java.util.Map<String, ClientStatus> clientStatuses = java.util.Map.of();

    /** A client_rate rule's client that is pending ({@code pendingSince} >= 0) or firing ({@code triggeredAt}). */
    record ClientStatus(
            @JsonProperty("pending_since") long pendingSince,
            @JsonProperty("triggered_at") String triggeredAt) {}

    @JsonCreator
    RuleState(
            @JsonProperty("rule") AlertRule rule,
            @JsonProperty("ring") long[] ring,
            @JsonProperty("totals") long[] totals,
            @JsonProperty("position") int position,
            @JsonProperty("sum") long sum,
            @JsonProperty("total_sum") long totalSum,
            @JsonProperty("seen") Integer seen,
            @JsonProperty("pending_since") Long pendingSince,
            @JsonProperty("triggered_at") @JsonAlias("triggeredAt") String triggeredAt,
            @JsonProperty("latency") long[][] latency,
            @JsonProperty("clients_since") Long clientsSince,
            @JsonProperty("clients") java.util.Map<String, ClientStatus> clientStatuses) {
        this.rule = rule;
        this.ring = ring;
        this.totals = totals;
        this.position = position;
        this.sum = sum;
        this.totalSum = totalSum;
        // A state saved before these were kept: it has seen its window, nothing pending.
        this.seen = seen != null ? seen : ring == null ? 0 : ring.length;
        this.pendingSince = pendingSince != null ? pendingSince : -1;
        this.triggeredAt = triggeredAt;
        this.latency = latency;
        this.clientsSince = clientsSince != null ? clientsSince : -1;
        this.clientStatuses = clientStatuses != null ? clientStatuses : java.util.Map.of();
        if (latency != null) {
            for (long[] second : latency) {
                add(second, 1);
            }
        }
    }

    static RuleState fresh(AlertRule rule) {
        int window = rule.windowSeconds();
        return new RuleState(
                rule,
                new long[window],
                rule.kind() == AlertRule.Kind.ERROR_RATIO ? new long[window] : null,
                0,
                0,
                0,
                0,
                -1L,
                null,
                rule.kind() == AlertRule.Kind.LATENCY ? new long[window][] : null,
                null,
                null);
    }

    /** client_rate: counting from {@code second} on, when it has not started yet. */
    void clientsFrom(long second) {
        if (clientsSince < 0) {
            clientsSince = second;
        }
    }

    /** client_rate: its clients forgotten (the rule changed): it counts anew from its next second. */
    void clientsReset() {
        clientsSince = -1;
        clientStatuses = java.util.Map.of();
    }

    /** client_rate: its clients pending or firing, as they stand. */
    void clientStatuses(java.util.Map<String, ClientStatus> statuses) {
        clientStatuses = statuses;
    }

    @JsonProperty("clients_since")
    long clientsSince() {
        return clientsSince;
    }

    @JsonProperty("clients")
    java.util.Map<String, ClientStatus> clientStatuses() {
        return clientStatuses;
    }

    /**
     * Whether this state's counts are valid for {@code other}: it was kept for a rule that measures the same thing
     * (a state saved before rules were kept in it was a high-traffic rule on all requests).
     */
    boolean counts(AlertRule other) {
        if (rule == null) {
            return other.kind() == AlertRule.Kind.HIGH_TRAFFIC
                    && other.section() == null
                    && ring != null
                    && ring.length == other.windowSeconds();
        }
        return rule.measuresAs(other);
    }

    /** The rule now in force (its levels, labels... may have changed; what it measures has not). */
    void rule(AlertRule newRule) {
        rule = newRule;
    }

    /**
     * Moves the window on by one second: {@code counted} requests the rule counts, of {@code total}; for a latency
     * rule, {@code times} their response times as {bucket, count...} (null: none).
     */
    void push(long counted, long total, long[] times) {
        if (latency != null) {
            add(latency[position], -1);
            latency[position] = times;
            add(times, 1);
        }
        push(counted, total);
    }

    private void add(long[] times, int sign) {
        if (times == null) {
            return;
        }
        for (int i = 0; i < times.length; i += 2) {
            long n = histogram.merge((int) times[i], sign * times[i + 1], Long::sum);
            if (n == 0) {
                histogram.remove((int) times[i]);
            }
        }
    }

    /** Latency: the {@code q} quantile of the window's response times in milliseconds; its count is {@link #sum}. */
    double quantileMillis(double q) {
        return ResponseTimeBuckets.ALERT.quantileMillis(histogram, sum, q);
    }

    /** Moves the window on by one second: {@code counted} requests the rule counts, of {@code total}. */
    void push(long counted, long total) {
        sum += counted - ring[position];
        ring[position] = counted;
        if (totals != null) {
            totalSum += total - totals[position];
            totals[position] = total;
        }
        position = (position + 1) % ring.length;
        if (seen < ring.length) {
            seen++;
        }
    }

    void pending(long since) {
        pendingSince = since;
    }

    void fire(String at) {
        triggeredAt = at;
        pendingSince = -1;
    }

    void resolve() {
        triggeredAt = null;
    }

    /** Whether the alert is firing. */
    boolean firing() {
        return triggeredAt != null;
    }

    /** Whether the window holds no request at all. */
    boolean quiet() {
        return sum == 0 && totalSum == 0;
    }

    /** Whether a whole window of seconds has been seen. */
    boolean full() {
        return seen >= ring.length;
    }

    @JsonProperty("rule")
    AlertRule rule() {
        return rule;
    }

    @JsonProperty("ring")
    long[] ring() {
        return ring;
    }

    @JsonProperty("totals")
    long[] totals() {
        return totals;
    }

    @JsonProperty("position")
    int position() {
        return position;
    }

    @JsonProperty("sum")
    long sum() {
        return sum;
    }

    @JsonProperty("total_sum")
    long totalSum() {
        return totalSum;
    }

    @JsonProperty("seen")
    int seen() {
        return seen;
    }

    @JsonProperty("pending_since")
    long pendingSince() {
        return pendingSince;
    }

    @JsonProperty("triggered_at")
    String triggeredAt() {
        return triggeredAt;
    }

    @JsonProperty("latency")
    long[][] latency() {
        return latency;
    }
}
