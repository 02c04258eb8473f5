package io.httpmon.stats;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatusClass;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.WindowCounter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the statistics count of a request: its status class, method, section, resource and user (the top lists),
 * its response bytes (the window's sum), its client host (distinct hosts) and its response time where logged (the
 * bucket of {@link ResponseTimeBuckets}).
 */
final class StatsCounter implements WindowCounter {

    static final Dimension<String> STATUS = Dimension.top('c', "status");
    static final Dimension<String> METHOD = Dimension.top('m', "method");
    static final Dimension<String> SECTION = Dimension.top('s', "section");
    static final Dimension<String> RESOURCE = Dimension.top('r', "resource");
    static final Dimension<String> USER = Dimension.top('u', "user");
    /** Response-time buckets ({@link ResponseTimeBuckets}): every one reaches the merge, for exact quantiles. */
    static final Dimension<String> RESPONSE_TIME = Dimension.complete('t', "response_time");
    /** A section's response-time buckets, {@code "SECTION BUCKET"}: for the slowest sections by p99. */
    static final Dimension<String> SECTION_RESPONSE_TIME = Dimension.complete('q', "section_response_time");

    private static final Set<Column> COLUMNS = EnumSet.of(
            Column.HOST,
            Column.USER,
            Column.METHOD,
            Column.RESOURCE,
            Column.SECTION,
            Column.STATUS,
            Column.BYTES,
            Column.TIMESTAMP,
            Column.RESPONSE_TIME_US);

    @Override
    public Set<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Dimension<?>> dimensions() {
        return List.of(STATUS, METHOD, SECTION, RESOURCE, USER, RESPONSE_TIME, SECTION_RESPONSE_TIME);
    }

    @Override
    public boolean countsDistinct() {
        return true;
    }

    @Override
    public void count(HttpRequest r, Tally tally) {
        if (r.bytes() != null) {
            tally.sum(r.bytes());
        }
        tally.item(STATUS, StatusClass.of(r.status()).label());
        if (r.method() != null) {
            tally.item(METHOD, r.method());
        }
        if (r.section() != null) {
            tally.item(SECTION, r.section());
        }
        if (r.resource() != null) {
            tally.item(RESOURCE, r.resource());
        }
        if (r.user() != null) {
            tally.item(USER, r.user());
        }
        if (r.host() != null) {
            tally.distinct(r.host());
        }
        if (r.responseTimeUs() != null) {
            tally.item(RESPONSE_TIME, ResponseTimeBuckets.WINDOW.bucket(r.responseTimeUs()));
            if (r.section() != null) {
                tally.item(
                        SECTION_RESPONSE_TIME,
                        r.section() + ' ' + ResponseTimeBuckets.SECTION.bucket(r.responseTimeUs()));
            }
        }
    }
}
