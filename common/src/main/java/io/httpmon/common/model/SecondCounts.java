package io.httpmon.common.model;

import java.util.Map;

/**
 * The requests of one second of event time by section and status class, as published on {@code hits-per-second}
 * by alert-service (which counts them so for its rules anyway), once per second with requests, exactly once: what a
 * per-second chart with filters by section and status needs. A second without requests has no record.
 *
 * @param second the second, ISO-8601 UTC
 * @param hits its requests
 * @param sections section ({@code ""} for requests without one; text from the log, untrusted) to status class
 *     ({@code 1xx}..{@code 5xx}, {@code other}) to requests
 */
public record SecondCounts(String second, long hits, Map<String, Map<String, Long>> sections) {}
