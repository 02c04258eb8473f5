package io.httpmon.common;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a service loop to finish: set once by a shutdown hook (or a test), observed by the loop between batches.
 * Blocking Kafka calls are woken through the registered callbacks (e.g. {@code consumer::wakeup}), sleeps end early.
 */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();

    public void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopped.countDown();
        onStop.forEach(Runnable::run);
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Runs {@code action} when stop is requested (at once if it already was).
     *
     * @return closing it drops the action: for one that lives shorter than the signal (a run of a loop that starts
     *     again), so the signal does not keep every one it was given
     */
    public Registration onStop(Runnable action) {
        onStop.add(action);
        if (isStopped()) {
            action.run();
        }
        return () -> onStop.remove(action);
    }

    /** An action registered with {@link #onStop}; {@link #close} drops it. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sleeps for {@code duration} or until stopped.
     *
     * @return true if stop was requested
     */
    public boolean sleep(Duration duration) {
        try {
            return stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
