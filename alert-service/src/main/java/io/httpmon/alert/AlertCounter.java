package io.httpmon.alert;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatusClass;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.WindowCounter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the alerts count of a request, per second: its status class and section, as one item (every item, not the
 * most frequent: a rule adds up the items it matches, and must not miss a quiet section). The rules are not known
 * here, so a rule applied while everything runs finds its counts already there.
 */
final class AlertCounter implements WindowCounter {

    /** Items: the status class's digit ('1'..'5', 'o' for anything else) followed by the section ("" for none). */
    static final Dimension REQUESTS = Dimension.complete('k', "requests");

    private static final Set<Column> COLUMNS = EnumSet.of(Column.SECTION, Column.STATUS, Column.TIMESTAMP);

    @Override
    public Set<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Dimension> dimensions() {
        return List.of(REQUESTS);
    }

    @Override
    public void count(HttpRequest request, Tally tally) {
        tally.item(REQUESTS, item(request.status(), request.section()));
    }

    static String item(int status, String section) {
        // The first character of the class's label ('1'..'5', 'o' for other): one byte per item in the counters.
        char statusClass = StatusClass.of(status).label().charAt(0);
        return section == null ? String.valueOf(statusClass) : statusClass + section;
    }

    /** The status class of an item, as a rule names it ({@code 5xx}), or "other". */
    static String statusClass(String item) {
        char c = item.charAt(0);
        for (StatusClass s : StatusClass.values()) {
            if (s.label().charAt(0) == c) {
                return s.label();
            }
        }
        return StatusClass.OTHER.label();
    }

    /** The section of an item, or null. */
    static String section(String item) {
        return item.length() == 1 ? null : item.substring(1);
    }
}
