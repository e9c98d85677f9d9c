package org.licensing.issuer.idempotency;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.quarkiverse.resteasy.problem.HttpProblem;

class IdempotencyKeysTest {

    @Test
    void recordKeyHidesActorAndKeyAndSeparatesActors() {
        String a = IdempotencyStore.pk("alice", "k1");
        assertTrue(a.startsWith(IdempotencyStore.PREFIX));
        assertFalse(a.contains("alice"));
        assertFalse(a.contains("k1"));
        assertEquals(a, IdempotencyStore.pk("alice", "k1"));
        assertNotEquals(a, IdempotencyStore.pk("bob", "k1"));
        assertNotEquals(IdempotencyStore.pk("a", "bk"), IdempotencyStore.pk("ab", "k"));
    }

    @Test
    void keyValidation() {
        Idempotency.validateKey(null);
        Idempotency.validateKey("3f1c2a9e-retry-1");
        assertThrows(HttpProblem.class, () -> Idempotency.validateKey(""));
        assertThrows(HttpProblem.class, () -> Idempotency.validateKey("has space"));
        assertThrows(HttpProblem.class, () -> Idempotency.validateKey("é"));
        assertThrows(HttpProblem.class, () -> Idempotency.validateKey("x".repeat(256)));
    }
}
