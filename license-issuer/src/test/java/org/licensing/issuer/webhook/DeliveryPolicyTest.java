package org.licensing.issuer.webhook;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.webhook.DeliveryPolicy.Attempt;
import org.licensing.issuer.webhook.DeliveryPolicy.Outcome;
import org.licensing.issuer.webhook.DeliveryPolicy.State;

class DeliveryPolicyTest {

    private final DeliveryPolicy policy = new DeliveryPolicy(Duration.ofSeconds(10), Duration.ofHours(1),
            Duration.ofHours(25), new Random(42));
    private final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void backoffDoublesWithJitterInTheUpperHalfUpToTheCap() {
        for (int n = 1; n <= 30; n++) {
            long nominal = Math.min(3_600_000L, 10_000L << Math.min(n - 1, 40));
            for (int i = 0; i < 200; i++) {
                long ms = policy.backoff(n).toMillis();
                assertTrue(ms >= nominal / 2 && ms <= nominal, "attempt " + n + ": " + ms + " of " + nominal);
            }
        }
        assertTrue(policy.backoff(100).toMillis() <= 3_600_000L);
    }

    @Test
    void aDeliveryIsRetriedForTheWholeWindowThenDead() {
        Attempt failed = new Attempt(500, 12, null);
        Instant now = t0;
        int attempts = 0;
        Outcome o;
        do {
            o = policy.decide(failed, attempts++, t0, attempts == 1 ? null : t0, t0, now);
            if (o.state() == State.PENDING) {
                assertTrue(o.nextAttemptAt().isAfter(now));
                now = o.nextAttemptAt();
            }
        } while (o.state() == State.PENDING);
        assertEquals(State.DEAD, o.state());
        assertFalse(now.isBefore(t0.plus(Duration.ofHours(23))), "retried for a day at least: " + now);
        assertTrue(attempts > 20, "attempts: " + attempts);
        assertNotNull(o.disableReason(), "failing since its first attempt: the endpoint goes");
    }

    @Test
    void aDeadLetterDisablesOnlyAnEndpointWithoutASuccessSinceTheFirstAttempt() {
        Instant late = t0.plus(Duration.ofHours(25));
        Attempt failed = new Attempt(null, 2_000, "timed out");
        // another delivery succeeded after this one's first attempt: the streak began later
        Outcome o = policy.decide(failed, 30, t0, t0.plusSeconds(1), t0.plus(Duration.ofHours(20)), late);
        assertEquals(State.DEAD, o.state());
        assertNull(o.disableReason());
        o = policy.decide(failed, 30, t0, t0.plusSeconds(1), t0.plusSeconds(1), late);
        assertTrue(o.disableReason().contains("timed out"), o.disableReason());
    }

    @Test
    void twoXxDeliversAndA410DisablesAtOnce() {
        assertEquals(State.DELIVERED, policy.decide(new Attempt(204, 5, null), 3, t0, t0, t0, t0).state());
        assertEquals(State.PENDING, policy.decide(new Attempt(302, 5, null), 0, t0, null, null, t0).state(),
                "a redirect is not followed: a failure");
        Outcome gone = policy.decide(new Attempt(410, 5, null), 0, t0, null, null, t0);
        assertTrue(gone.disableReason().contains("410"));
    }
}
