package io.httpmon.monitor;

import io.httpmon.common.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of the all-in-one monitor, each on its own thread with the same {@link StopSignal}. The first
 * service to fail stops all the others; its error is what the monitor reports.
 */
final class ServiceGroup {

    private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

    /** A service's main loop: returns when done or stopped. */
    @FunctionalInterface
    interface Service {
        void run(StopSignal stop) throws Exception;
    }

    private final StopSignal stop;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean completed;

    ServiceGroup(StopSignal stop) {
        this.stop = stop;
    }

    /** Starts {@code service}; when {@code last} is true, its normal end stops the whole group. */
    synchronized Thread start(String name, Service service, boolean last) {
        Thread thread = new Thread(
                () -> {
                    try {
                        service.run(stop);
                        log.debug("{} finished", name);
                        if (last) {
                            completed = true;
                            stop.stop();
                        }
                    } catch (Throwable t) {
                        if (failure.compareAndSet(null, t)) {
                            log.debug("{} failed", name, t);
                        }
                        stop.stop();
                    }
                },
                "httpmon-" + name);
        threads.add(thread);
        thread.start();
        return thread;
    }

    /** Waits for every service to end after the stop; returns false if one is still running after {@code timeout}. */
    boolean join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(threads);
        }
        for (Thread thread : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
            if (thread.isAlive()) {
                log.warn("{} did not stop within {} s", thread.getName(), timeout.toSeconds());
                return false;
            }
        }
        return true;
    }

    /** Whether the service started as {@code last} ended normally (it, not a failure or a signal, stopped the group). */
    boolean completed() {
        return completed;
    }

    /** The first service failure, or null. */
    Throwable failure() {
        return failure.get();
    }
}
