package org.licensing.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs a beat every interval +-10 % (jitter, so a fleet started together does not beat together) on one daemon
 * thread, until stopped. Each beat is scheduled after the previous one ended: beats never overlap. Thread-safe.
 */
final class Heartbeats {

    private final String threadName;
    private final Duration interval;
    private final Runnable beat;
    private final Object lock = new Object();
    private ScheduledExecutorService executor;
    private boolean stoppedForGood;

    Heartbeats(String threadName, Duration interval, Runnable beat) {
        this.threadName = threadName;
        this.interval = interval;
        this.beat = beat;
    }

    /** Starts beating unless already running or {@link #close() closed}. */
    void start() {
        synchronized (lock) {
            if (executor != null || stoppedForGood) {
                return;
            }
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            schedule(executor);
        }
    }

    /** Stops beating; {@link #start()} may start again. */
    void stop() {
        synchronized (lock) {
            if (executor != null) {
                executor.shutdownNow();
                executor = null;
            }
        }
    }

    /** Stops beating for good. */
    void close() {
        synchronized (lock) {
            stoppedForGood = true;
            stop();
        }
    }

    boolean running() {
        synchronized (lock) {
            return executor != null;
        }
    }

    private void schedule(ScheduledExecutorService on) {
        long base = interval.toMillis();
        long delay = Math.max(1, (long) (base * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
        try {
            on.schedule(() -> run(on), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    private void run(ScheduledExecutorService on) {
        try {
            beat.run();
        } finally {
            if (!on.isShutdown()) {
                schedule(on);
            }
        }
    }
}
