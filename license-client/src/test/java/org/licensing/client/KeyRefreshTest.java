package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;

/** Key-set fetching on its own, with a ticker the test moves: at most once a minute for unknown kids, daily after. */
class KeyRefreshTest {

    final TestClock clock = new TestClock();
    final SigningKeys root = SigningKeys.generate("root-1");
    final SigningKeys rotated = SigningKeys.generate("receipts-9");
    final AtomicLong ticker = new AtomicLong(TimeUnit.DAYS.toNanos(10));
    FakeValidator validator;
    volatile String keySet;

    @BeforeEach
    void setUp() throws Exception {
        validator = new FakeValidator(clock, rotated);
        validator.handler = req -> keySet == null ? FakeValidator.Reply.json(404, "{}")
                : new FakeValidator.Reply(200, keySet, Map.of("Content-Type", "application/jwt"));
    }

    @AfterEach
    void tearDown() {
        validator.close();
    }

    KeyRefresh refresh() {
        Transport t = new Transport(validator.url(), Duration.ofSeconds(2), Duration.ofSeconds(2), null, null);
        return new KeyRefresh(Trust.pinned(root.publicJwkSetJson()), t, CacheStore.inMemory(), clock, ticker::get);
    }

    String receipt() {
        FakeValidator.Spec s = new FakeValidator.Spec();
        s.nonce = "n";
        s.product = FakeValidator.PRODUCT;
        s.licenseId = java.util.UUID.randomUUID().toString();
        s.iat = clock.instant();
        s.leaseUntil = s.iat.plus(Duration.ofDays(1));
        s.signer = rotated;
        return FakeValidator.sign(s);
    }

    int fetches() {
        return validator.requests(LicenseClient.KEY_SET_PATH).size();
    }

    @Test
    void anUnknownKidFetchesTheKeySetAtMostOnceAMinute() {
        KeyRefresh keys = refresh();
        String r = receipt();
        assertThrows(Untrusted.class, () -> keys.verifyReceipt(r, true));
        assertEquals(1, fetches());
        for (int i = 0; i < 5; i++) {
            assertThrows(Untrusted.class, () -> keys.verifyReceipt(r, true));
        }
        ticker.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThrows(Untrusted.class, () -> keys.verifyReceipt(r, true));
        assertEquals(1, fetches(), "a flood of unknown kids costs one fetch a minute");
        ticker.addAndGet(TimeUnit.SECONDS.toNanos(2));
        keySet = keySet(clock.instant());
        Untrusted none = null;
        try {
            keys.verifyReceipt(r, true);
        } catch (Untrusted u) {
            none = u;
        }
        assertEquals(null, none, "after a minute the new set is fetched and the receipt verifies");
        assertEquals(2, fetches());
        assertThrows(Untrusted.class, () -> refresh().verifyReceipt(r, false), "the cache never fetches");
        assertEquals(2, fetches());
    }

    @Test
    void anAcceptedSetIsFetchedAgainDailyAndNoSetNever() {
        KeyRefresh keys = refresh();
        keys.refreshIfDue();
        assertEquals(0, fetches(), "no set accepted: nothing to keep current");
        keySet = keySet(clock.instant());
        assertTrue(keys.refresh().contains("receipts-9"));
        assertEquals(1, fetches());
        ticker.addAndGet(TimeUnit.HOURS.toNanos(23));
        keys.refreshIfDue();
        assertEquals(1, fetches());
        ticker.addAndGet(TimeUnit.HOURS.toNanos(2));
        keys.refreshIfDue();
        assertEquals(2, fetches());
    }

    String keySet(java.time.Instant iat) {
        Object published = rotated.publicJwkSet().toJSONObject(true).get("keys");
        return root.sign(new JWTClaimsSet.Builder().issueTime(Date.from(iat)).claim("keys", published).build(),
                Trust.KEY_SET_TYP);
    }
}
