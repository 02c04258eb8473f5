package io.httpmon.windowing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * A task of a {@link Durability#THROWAWAY} topology started again after it had processed records: its state was in
 * the task only, so what it counted before is gone (Kafka Streams restarts a task after a failed commit, a replaced
 * thread or a rebalance). The run fails with this rather than go on with part of its counts.
 */
public final class ReplayStateLost extends IllegalStateException {

    ReplayStateLost(String aggregation, TaskId task) {
        super(aggregation + ": Kafka Streams started task " + task + " again after it had counted requests, and a "
                + "replay keeps its state in its tasks only (no changelogs): its counts would be incomplete. Run the "
                + "replay again");
    }

    /** The tasks of one processor of a topology whose state is thrown away: which ones have processed records. */
    static final class Starts {
        private final String aggregation;
        private final Set<TaskId> processed = ConcurrentHashMap.newKeySet();

        Starts(String aggregation) {
            this.aggregation = aggregation;
        }

        /** A processor of {@code task} is initialized: fails if that task had processed records already. */
        void init(TaskId task) {
            if (processed.contains(task)) {
                throw new ReplayStateLost(aggregation, task);
            }
        }

        /** A processor of {@code task} processes a record. */
        void processing(TaskId task) {
            processed.add(task);
        }
    }
}
