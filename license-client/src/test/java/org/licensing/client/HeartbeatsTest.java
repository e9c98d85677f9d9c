package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The heartbeat schedule on its own: repeats, survives a failing beat, stops, and stays stopped once closed. */
class HeartbeatsTest {

    @Test
    void beatsRepeatUntilStoppedAndAFailingBeatDoesNotEndThem() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        Heartbeats h = new Heartbeats("test-beat", Duration.ofMillis(10), () -> {
            beats.incrementAndGet();
            three.countDown();
            throw new IllegalStateException("a failing beat");
        });
        h.start();
        h.start(); // idempotent: one thread
        assertTrue(h.running());
        assertTrue(three.await(10, TimeUnit.SECONDS), "three beats");
        h.stop();
        assertFalse(h.running());
        int after = beats.get();
        Thread.sleep(100);
        assertTrue(beats.get() <= after + 1, "at most one beat already under way");
    }

    @Test
    void closedHeartbeatsNeverStartAgain() {
        Heartbeats h = new Heartbeats("test-beat", Duration.ofHours(1), () -> { });
        h.start();
        h.close();
        assertFalse(h.running());
        h.start();
        assertFalse(h.running());
    }
}
