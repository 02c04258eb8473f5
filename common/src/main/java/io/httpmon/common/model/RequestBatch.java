package io.httpmon.common.model;

import java.util.List;

/**
 * The value of a {@code requests} record: the requests the parser read from one {@code raw-lines} chunk, in the
 * order of the file, each with its own event time. Its JSON form (one row of fields per request, under named
 * columns) is in {@code docs/topics.md} and {@link io.httpmon.common.RequestBatchSerde}.
 *
 * @param readAt when the reader read the chunk, on the reader's clock (epoch millis): with the idle heartbeats
 *     (same clock) it tells how long the log has been quiet since its newest request
 * @param future lines of the chunk stamped further ahead of that clock than {@code [Stats] max_future} allows;
 *     they went to the dead letters, and the statistics count them in the window the batch arrives in
 * @param requests the chunk's requests (maybe none, when every line was a dead letter)
 * @param deadLetters the chunk's other lines that were not requests (dead letters on {@code parse-errors}): the
 *     statistics count them in the window the batch arrives in, so that a log gone bad is seen in the output
 */
public record RequestBatch(long readAt, int future, List<HttpRequest> requests, int deadLetters) implements TimedBatch {

    public RequestBatch {
        requests = List.copyOf(requests);
        if (future < 0 || deadLetters < 0) {
            throw new IllegalArgumentException(
                    "future count " + future + " or dead letters " + deadLetters + " is negative");
        }
    }

    public RequestBatch(long readAt, int future, List<HttpRequest> requests) {
        this(readAt, future, requests, 0);
    }

    /** A batch of requests read when the first one was stamped, as a test or a one-line producer writes it. */
    public static RequestBatch of(HttpRequest... requests) {
        return new RequestBatch(requests.length == 0 ? 0 : requests[0].timestamp(), 0, List.of(requests));
    }

    @Override
    public int size() {
        return requests.size();
    }

    @Override
    public long time(int i) {
        return requests.get(i).timestamp();
    }

    @Override
    public HttpRequest request(int i) {
        return requests.get(i);
    }

    /** The newest request time in the batch, or {@code readAt} when it has none: the Kafka record's timestamp. */
    public long newestTime() {
        long newest = Long.MIN_VALUE;
        for (HttpRequest r : requests) {
            newest = Math.max(newest, r.timestamp());
        }
        return requests.isEmpty() ? readAt : newest;
    }
}
