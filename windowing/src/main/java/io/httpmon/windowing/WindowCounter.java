package io.httpmon.windowing;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * What a service counts of each request in a window: supplied to stage one ({@link PartialWindowProcessor}), which
 * counts every request's hit itself and asks the counter for the rest. The windowing core knows nothing of HTTP; a
 * counter turns a request into items of its dimensions, a sum and a distinct item.
 */
public interface WindowCounter {

    /** Counts hits only: no field of a request is read (the times come from the records' header). */
    WindowCounter HITS = new WindowCounter() {
        @Override
        public Set<Column> columns() {
            return Set.of();
        }

        @Override
        public List<Dimension<?>> dimensions() {
            return List.of();
        }

        @Override
        public void count(HttpRequest request, Tally tally) {}
    };

    /** Where {@link #count} puts what it counts of one request, in the request's window. */
    interface Tally {
        /** One more of {@code item} in {@code dimension}. */
        <T> void item(Dimension<T> dimension, T item);

        /** {@code amount} more of {@code item} in {@code dimension} (e.g. a group's bytes). */
        <T> void add(Dimension<T> dimension, T item, long amount);

        /** Adds to the window's sum (stats: response bytes). */
        void sum(long amount);

        /** {@code item} (stats: a client host) is among the window's distinct items, counted exactly or estimated. */
        void distinct(String item);
    }

    /** The request fields {@link #count} reads; empty when it reads none (only the times are decoded then). */
    Set<Column> columns();

    /** The dimensions {@link #count} counts items of. */
    List<Dimension<?>> dimensions();

    /** Counts one request; never called when {@link #columns} is empty. */
    void count(HttpRequest request, Tally tally);

    /**
     * Whether {@code request} is counted at all (hit included): false for those a filter leaves out, which still move
     * the clock. Every request by default.
     */
    default boolean counts(HttpRequest request) {
        return true;
    }

    /** Whether {@link Tally#distinct} is used: its store is built only then. */
    default boolean countsDistinct() {
        return false;
    }
}
