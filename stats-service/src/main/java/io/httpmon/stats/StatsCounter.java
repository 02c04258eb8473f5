package io.httpmon.stats;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.config.RequestField;
import io.httpmon.common.config.RequestFilter;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatusClass;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.ResponseTimeBuckets;
import io.httpmon.windowing.WindowCounter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a statistics monitor counts of the requests its filter lets through: its status class, method, section, resource and user (the top lists),
 * its response bytes (the window's sum), its client host (distinct hosts) and its response time where logged (the
 * bucket of {@link ResponseTimeBuckets}); with a {@code group_by}, each group's hits, bytes and status classes.
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
    /** With group_by: each group's hits. */
    static final Dimension<String> GROUP = Dimension.top('g', "group");
    /** With group_by: each group's response bytes. */
    static final Dimension<String> GROUP_BYTES = Dimension.top('y', "group_bytes");
    /** With group_by: each group's requests per status class. */
    static final Dimension<GroupStatus> GROUP_STATUS =
            Dimension.top('k', "group_status", GroupStatus::encode, GroupStatus::decode);

    /** A group's requests of one status class; stored as {@code "4xx GROUP"} (a class label has no space). */
    record GroupStatus(String statusClass, String group) {
        String encode() {
            return statusClass + ' ' + group;
        }

        static GroupStatus decode(String s) {
            int space = s.indexOf(' ');
            return new GroupStatus(s.substring(0, space), s.substring(space + 1));
        }
    }

    /** The group of a request without the grouping field (a log that does not have it). */
    static final String NO_GROUP = "-";

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

    /** The default monitor's: every request, no groups (after COLUMNS, which it reads). */
    static final StatsCounter ALL = new StatsCounter(RequestFilter.ALL, null);

    private final RequestFilter filter;
    private final RequestField groupBy;
    private final Set<Column> columns;

    /** @param groupBy null: no groups */
    StatsCounter(RequestFilter filter, RequestField groupBy) {
        this.filter = filter;
        this.groupBy = groupBy;
        Set<Column> columns = EnumSet.copyOf(COLUMNS);
        columns.addAll(filter.columns());
        if (groupBy != null) {
            columns.add(groupBy.column());
        }
        this.columns = Set.copyOf(columns);
    }

    @Override
    public Set<Column> columns() {
        return columns;
    }

    @Override
    public List<Dimension<?>> dimensions() {
        List<Dimension<?>> dimensions =
                new ArrayList<>(List.of(STATUS, METHOD, SECTION, RESOURCE, USER, RESPONSE_TIME, SECTION_RESPONSE_TIME));
        if (groupBy != null) {
            dimensions.addAll(List.of(GROUP, GROUP_BYTES, GROUP_STATUS));
        }
        return dimensions;
    }

    @Override
    public boolean counts(HttpRequest request) {
        return filter.test(request);
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
        String statusClass = StatusClass.of(r.status()).label();
        tally.item(STATUS, statusClass);
        if (groupBy != null) {
            String group = groupBy.of(r);
            group = group == null ? NO_GROUP : group;
            tally.item(GROUP, group);
            tally.item(GROUP_STATUS, new GroupStatus(statusClass, group));
            if (r.bytes() != null && r.bytes() > 0) {
                tally.add(GROUP_BYTES, group, r.bytes());
            }
        }
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
