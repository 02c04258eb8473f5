package io.httpmon.common.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Traffic statistics of one event-time window, as published on {@code stats} (one record per window).
 * Field names follow the original monitor's output where it had them.
 *
 * @param monitor the {@code [Stats NAME]} monitor the record is of; absent for the default {@code [Stats]}
 * @param group with the monitor's {@code group_by}: the group (a section, a client, ...) the record counts, or
 *     {@code other} for the groups beyond its top ones; absent in the record of all the monitor's requests, which
 *     comes first. A group's record has its hits, rate, bytes and status classes, not the lists.
 * @param time the window's end, ISO-8601 UTC (the original's "time")
 * @param revision 0 for the window's first record (then left out of the JSON); 1, 2, ... for a correction with
 *     the full corrected totals, after requests within {@code [Stats] max_lateness} were counted in it: second in
 *     the line, so a reader sees it
 * @param windowStart start of the window, ISO-8601 UTC
 * @param windowEnd end of the window (exclusive), ISO-8601 UTC
 * @param hits requests in the window
 * @param tps hits per second
 * @param mostHits the 3 most hit sections
 * @param mostActiveUsers the 3 users with most requests ({@code -} is not a user)
 * @param statusCodes requests per status class: 2xx, 3xx, 4xx, 5xx, and other when there were any
 * @param topSections the most hit sections with their hits, most first
 * @param topResources the most hit resources with their hits
 * @param topUsers the most active users with their requests
 * @param methods requests per method
 * @param bytes response bytes
 * @param uniqueHosts distinct client hosts
 * @param late requests that came after their window was closed, since the previous record
 * @param future requests stamped too far ahead of the reader's clock ({@code [Stats] max_future}), since the
 *     previous record: dead letters on {@code parse-errors}, counted here so that they are seen
 * @param maxLatenessSeenMs the largest lateness (ms behind the newest request) of a request that came after its
 *     window's grace, since the previous record: how out of order the log is
 * @param windows how many intervals the record covers: 1, or more for a span without traffic reported at once
 *     (hits 0; see docs/architecture.md, "Time without traffic")
 * @param responseTimeMs quantiles of the response time of the window's requests that logged one (absent when none
 *     did)
 * @param slowestSectionsMs the sections with the highest p99 response time (ms, within 5%), at most top, slowest
 *     first; absent when no request had a time
 * @param deadLetters lines that were not requests (dead letters on {@code parse-errors}, the future ones aside),
 *     since the previous record; absent when 0
 * @param sources per source (reader id), its hits, late requests and dead letters; absent unless the record has more
 *     than one source (a single log's records are as they were)
 */
public record StatsWindow(
        @JsonInclude(JsonInclude.Include.NON_NULL) String monitor,
        @JsonInclude(JsonInclude.Include.NON_NULL) String group,
        String time,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int revision,
        String windowStart,
        String windowEnd,
        long hits,
        double tps,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mostHits,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mostActiveUsers,
        Map<String, Long> statusCodes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> topSections,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> topResources,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> topUsers,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> methods,
        long bytes,
        long uniqueHosts,
        long late,
        long future,
        long maxLatenessSeenMs,
        long windows,
        @JsonInclude(JsonInclude.Include.NON_NULL) ResponseTimes responseTimeMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> slowestSectionsMs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long deadLetters,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, SourceCounts> sources) {

    /** A window of a log without response times. */
    public StatsWindow(
            String time,
            int revision,
            String windowStart,
            String windowEnd,
            long hits,
            double tps,
            List<String> mostHits,
            List<String> mostActiveUsers,
            Map<String, Long> statusCodes,
            Map<String, Long> topSections,
            Map<String, Long> topResources,
            Map<String, Long> topUsers,
            Map<String, Long> methods,
            long bytes,
            long uniqueHosts,
            long late,
            long future,
            long maxLatenessSeenMs,
            long windows) {
        this(
                null,
                null,
                time,
                revision,
                windowStart,
                windowEnd,
                hits,
                tps,
                mostHits,
                mostActiveUsers,
                statusCodes,
                topSections,
                topResources,
                topUsers,
                methods,
                bytes,
                uniqueHosts,
                late,
                future,
                maxLatenessSeenMs,
                windows,
                null,
                null,
                0,
                null);
    }

    /** The same record, of monitor {@code monitor} (and group {@code group}, or null). */
    public StatsWindow of(String monitor, String group) {
        return new StatsWindow(
                monitor,
                group,
                time,
                revision,
                windowStart,
                windowEnd,
                hits,
                tps,
                mostHits,
                mostActiveUsers,
                statusCodes,
                topSections,
                topResources,
                topUsers,
                methods,
                bytes,
                uniqueHosts,
                late,
                future,
                maxLatenessSeenMs,
                windows,
                responseTimeMs,
                slowestSectionsMs,
                deadLetters,
                sources);
    }

    /**
     * Response-time quantiles of a window, in milliseconds, each within 1% of the exact value (a DDSketch-style
     * logarithmic histogram, merged exactly across partitions).
     *
     * @param count the requests they are computed from (those that logged a response time)
     */
    public record ResponseTimes(double p50, double p90, double p99, double max, long count) {}
}
