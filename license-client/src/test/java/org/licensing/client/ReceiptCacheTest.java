package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;

/** The receipt cache on its own: the latest request wins, LIMIT_EXCEEDED keeps the lease, re-verification. */
class ReceiptCacheTest {

    final TestClock clock = new TestClock();
    final SigningKeys keys = SigningKeys.generate("receipts-1");
    final CacheStore store = CacheStore.inMemory();
    final TrustedClock trusted = new TrustedClock(store, clock, Duration.ofHours(1));
    final KeyRefresh refresh = new KeyRefresh(Trust.pinned(keys.publicJwkSetJson()), null, store, clock,
            System::nanoTime);
    final ReceiptCache cache = new ReceiptCache(store, refresh, trusted);

    Receipt receipt(String code, Instant iat) throws Untrusted {
        FakeValidator.Spec s = new FakeValidator.Spec();
        s.nonce = UUID.randomUUID().toString();
        s.code = code;
        s.product = FakeValidator.PRODUCT;
        s.licenseId = UUID.randomUUID().toString();
        s.iat = iat;
        s.leaseUntil = iat.plus(Duration.ofDays(1));
        s.signer = keys;
        return Receipt.verify(FakeValidator.sign(s), refresh.trust(), clock.instant());
    }

    @Test
    void theLatestRequestWinsNotTheLatestIat() throws Exception {
        assertNull(cache.cached());
        long first = cache.nextRequest();
        long second = cache.nextRequest();
        Receipt revoked = receipt("REVOKED", clock.instant().minusSeconds(5)); // an instance whose clock is behind
        Receipt valid = receipt("VALID", clock.instant());
        cache.offer(revoked, second);
        cache.offer(valid, first); // answered after, but sent before: it does not replace the refusal
        assertEquals(revoked.compact(), cache.cached().compact());
        assertEquals(revoked.issuedAt(), trusted.current(), "only the latest request's iat resets the trusted time");
    }

    @Test
    void limitExceededKeepsTheEarlierLeaseButStillSetsTheTime() throws Exception {
        Receipt valid = receipt("VALID", clock.instant());
        cache.offer(valid, cache.nextRequest());
        Receipt over = receipt("LIMIT_EXCEEDED", clock.instant().plusSeconds(30));
        cache.offer(over, cache.nextRequest());
        assertEquals(valid.compact(), cache.cached().compact());
        assertEquals(over.issuedAt(), trusted.current());
    }

    @Test
    void theCachedReceiptIsVerifiedOnceAndAgainWhenItsTextChanges() throws Exception {
        Receipt valid = receipt("VALID", clock.instant());
        cache.offer(valid, cache.nextRequest());
        Receipt read = cache.cached();
        assertSame(read, cache.cached(), "remembered on its exact text");
        store.writeReceipt(valid.compact().substring(0, valid.compact().length() - 4) + "AAAA");
        assertThrows(Untrusted.class, cache::cached);
    }
}
