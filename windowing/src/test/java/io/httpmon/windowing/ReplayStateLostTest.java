package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class ReplayStateLostTest {

    @Test
    void aTaskStartedAgainBeforeItCountedAnythingLosesNothingAndGoesOn() {
        ReplayStateLost.Starts starts = new ReplayStateLost.Starts("stats");
        starts.init(new TaskId(0, 3));
        starts.init(new TaskId(0, 3)); // e.g. its thread replaced while Kafka was not ready yet
        starts.processing(new TaskId(0, 3));
        starts.init(new TaskId(0, 4)); // another task's first start
    }

    @Test
    void aTaskStartedAgainAfterItCountedFailsTheRunSayingWhy() {
        ReplayStateLost.Starts starts = new ReplayStateLost.Starts("monitor-errors");
        starts.init(new TaskId(0, 3));
        starts.processing(new TaskId(0, 3));
        ReplayStateLost e = assertThrows(ReplayStateLost.class, () -> starts.init(new TaskId(0, 3)));
        assertEquals(
                "monitor-errors: Kafka Streams started task 0_3 again after it had counted requests, and a replay"
                        + " keeps its state in its tasks only (no changelogs): its counts would be incomplete. Run the"
                        + " replay again",
                e.getMessage());
    }
}
