package io.httpmon.alert;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatusClass;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.ResponseTimeBuckets;
import io.httpmon.windowing.WindowCounter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the alerts count of a request, per second: its status class and section, as one item (every item, not the
 * most frequent: a rule adds up the items it matches, and must not miss a quiet section). The rules are not known
 * here, so a rule applied while everything runs finds its counts already there. While a {@code client_rate} rule is
 * in force, also its client; while a {@code latency} rule is, its response time's bucket in its section (the
 * {@link RuleBook} says so): a site without such rules pays for neither.
 */
final class AlertCounter implements WindowCounter {

    /** The requests of one second, by status class and section. */
    static final Dimension<Requests> REQUESTS = Dimension.complete('k', "requests", Requests::encode, Requests::decode);

    /** The requests of one second by client. */
    static final Dimension<String> CLIENTS = Dimension.complete('c', "clients");

    /** The timed requests of one second by section and response-time bucket ({@link ResponseTimeBuckets#ALERT}). */
    static final Dimension<Latency> LATENCY = Dimension.complete('l', "latency", Latency::encode, Latency::decode);

    private static final Set<Column> COLUMNS =
            EnumSet.of(Column.SECTION, Column.STATUS, Column.TIMESTAMP, Column.HOST, Column.RESPONSE_TIME_US);

    private final RuleBook book;

    /** @param book says which kinds of rules are in force; null: none of those that count more */
    AlertCounter(RuleBook book) {
        this.book = book;
    }

    /**
     * Timed requests in one section and response-time bucket.
     *
     * @param section the section, or null for a request without one
     * @param bucket {@link ResponseTimeBuckets#index} of the time
     */
    record Latency(String section, int bucket) {

        /** As stored: the bucket, a space, the section. */
        String encode() {
            return section == null ? Integer.toString(bucket) : bucket + " " + section;
        }

        static Latency decode(String item) {
            int space = item.indexOf(' ');
            return space < 0
                    ? new Latency(null, Integer.parseInt(item))
                    : new Latency(item.substring(space + 1), Integer.parseInt(item.substring(0, space)));
        }
    }

    /**
     * Requests of one status class in one section.
     *
     * @param section the section, or null for a request without one
     */
    record Requests(StatusClass statusClass, String section) {

        static Requests of(int status, String section) {
            return new Requests(StatusClass.of(status), section);
        }

        /**
         * As stored: the first character of the class's label ('1'..'5', 'o' for other), then the section: one byte
         * per item in the counters.
         */
        String encode() {
            char c = statusClass.label().charAt(0);
            return section == null ? String.valueOf(c) : c + section;
        }

        static Requests decode(String item) {
            char c = item.charAt(0);
            StatusClass statusClass = StatusClass.OTHER;
            for (StatusClass s : StatusClass.values()) {
                if (s.label().charAt(0) == c) {
                    statusClass = s;
                }
            }
            return new Requests(statusClass, item.length() == 1 ? null : item.substring(1));
        }
    }

    @Override
    public Set<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Dimension<?>> dimensions() {
        return List.of(REQUESTS, CLIENTS, LATENCY);
    }

    @Override
    public void count(HttpRequest request, Tally tally) {
        tally.item(REQUESTS, Requests.of(request.status(), request.section()));
        if (book == null) {
            return;
        }
        if (book.countsClients()) {
            tally.item(CLIENTS, request.host());
        }
        if (book.countsLatency() && request.responseTimeUs() != null) {
            tally.item(
                    LATENCY, new Latency(request.section(), ResponseTimeBuckets.ALERT.index(request.responseTimeUs())));
        }
    }
}
