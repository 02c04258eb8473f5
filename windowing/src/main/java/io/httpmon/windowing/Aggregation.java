package io.httpmon.windowing;

/**
 * One two-stage windowed aggregation of the requests: what a service asks {@link Windowing#build} for.
 *
 * @param name names its stores and internal topic (e.g. {@code stats}); unique within an application
 * @param spec its windows
 * @param counter what it counts of each request beyond the hit
 * @param onLate told of each request that came after its window was gone (its lateness, ms behind the clock):
 *     the service's policy (the statistics warn, once a minute, with the figures; the alerts do not, as they see
 *     the same requests). Called from every stage-one task of the topology.
 */
public record Aggregation(String name, WindowSpec spec, WindowCounter counter, LateRequests onLate) {

    /** What a service does of requests that came too late for their window (they are counted as late anyway). */
    @FunctionalInterface
    public interface LateRequests {
        LateRequests IGNORED = (source, count, largestLatenessMs) -> {};

        /** @param source the source (reader) they came from; "" when their records name none */
        void add(String source, long count, long largestLatenessMs);
    }

    String counterStore() {
        return name + "-partial";
    }

    /** The complete dimensions' counters, one record per window and dimension (see {@link CounterStore}). */
    String packedStore() {
        return name + "-packed";
    }

    /** Whether the counter has complete dimensions, kept in {@link #packedStore()}. */
    boolean packsCounters() {
        return counter.dimensions().stream().anyMatch(Dimension::complete);
    }

    /** The codes of the complete dimensions. */
    java.util.List<Byte> packedDimensions() {
        return counter.dimensions().stream()
                .filter(Dimension::complete)
                .map(Dimension::code)
                .toList();
    }

    String clockStore() {
        return name + "-clock";
    }

    String distinctStore() {
        return name + "-distinct";
    }

    String mergeStore() {
        return name + "-merge";
    }

    String pendingStore() {
        return name + "-pending";
    }

    String partialsTopic() {
        return name + "-partials";
    }
}
