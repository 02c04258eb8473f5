package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A stop reaches the actions registered and not dropped, once each, also those registered after it. */
class StopSignalTest {

    @Test
    void aDroppedActionIsNotRunAndTheOthersRunOnce() {
        StopSignal stop = new StopSignal();
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        stop.onStop(kept::incrementAndGet);
        for (int run = 0; run < 3; run++) {
            try (StopSignal.Registration relay = stop.onStop(dropped::incrementAndGet)) {
                assertEquals(0, dropped.get(), "not before the stop");
            }
        }
        stop.stop();
        stop.stop();
        assertEquals(1, kept.get());
        assertEquals(0, dropped.get(), "the runs that ended took their actions with them");
        AtomicInteger late = new AtomicInteger();
        stop.onStop(late::incrementAndGet);
        assertEquals(1, late.get(), "registered after the stop: run at once");
    }
}
