package io.httpmon.windowing;

/**
 * One two-stage windowed aggregation of the requests: what a service asks {@link Windowing#build} for.
 *
 * @param name names its stores and internal topic (e.g. {@code stats}); unique within an application
 * @param spec its windows
 * @param counter what it counts of each request beyond the hit
 * @param warnsLate whether it says (once a minute) that requests came too late: one aggregation of an application
 *     should, as they all see the same requests
 */
public record Aggregation(String name, WindowSpec spec, WindowCounter counter, boolean warnsLate) {

    String counterStore() {
        return name + "-partial";
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
