package io.httpmon.common.model;

import java.util.Arrays;

/**
 * The times of a batch of requests, without the requests: what a reader that counts only hits needs, read from
 * the {@code httpmon.times} header of a {@code requests} record instead of its JSON
 * (see {@link io.httpmon.common.RequestBatchSerde#timesReader}).
 */
public record RequestTimes(long readAt, int future, long[] times) implements TimedBatch {

    @Override
    public int size() {
        return times.length;
    }

    @Override
    public long time(int i) {
        return times[i];
    }

    @Override
    public HttpRequest request(int i) {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestTimes t && t.readAt == readAt && t.future == future && Arrays.equals(t.times, times);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(readAt) * 31 + future * 17 + Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return "RequestTimes[readAt=" + readAt + ", future=" + future + ", times=" + Arrays.toString(times) + "]";
    }
}
