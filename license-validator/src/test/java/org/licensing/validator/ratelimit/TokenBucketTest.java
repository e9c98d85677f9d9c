package org.licensing.validator.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void burstThenRefillAtRate() {
        TokenBucket b = new TokenBucket(2, 3, 0);
        assertEquals(0, b.tryTake(0));
        assertEquals(0, b.tryTake(0));
        assertEquals(0, b.tryTake(0));
        long wait = b.tryTake(0);
        assertEquals(500_000_000L, wait);
        assertEquals(0, b.tryTake(500_000_000L));
        assertTrue(b.tryTake(500_000_000L) > 0);
    }
}
