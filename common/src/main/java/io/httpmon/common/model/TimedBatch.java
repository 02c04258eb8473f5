package io.httpmon.common.model;

/**
 * What the windowing stages need of a {@code requests} record: when the reader read it, how many of its lines were
 * turned away as from the future, and each request's time (and, for those that count more than hits, the request).
 */
public interface TimedBatch {

    long readAt();

    int future();

    /**
     * Lines of the chunk that were not requests (dead letters other than the future ones); 0 where unknown (the
     * times header does not carry it: only the statistics count it).
     */
    default int deadLetters() {
        return 0;
    }

    int size();

    /** The event time of request {@code i}, epoch millis. */
    long time(int i);

    /** Request {@code i}, or null when only the times were read ({@link RequestTimes}). */
    HttpRequest request(int i);
}
