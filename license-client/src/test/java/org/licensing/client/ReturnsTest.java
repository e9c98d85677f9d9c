package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;

/** Returns on their own: recorded before the text is handed out, kept across restarts, older checkouts included. */
class ReturnsTest {

    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final LicenseDocument license = new LicenseDocument(key.licenseId().toString(), "c", null, "p", Map.of(),
            Map.of(), 1, T0, T0, T0.plusSeconds(86_400 * 60), 0);

    CheckoutDocument checkout(long seq, String fp) {
        return new CheckoutDocument(UUID.randomUUID(), license, fp, seq, T0, T0.plusSeconds(86_400), null);
    }

    @Test
    void aReturnIsRecordedAndCoversOlderCheckoutsNotNewerOnes() {
        CacheStore store = CacheStore.inMemory();
        Returns returns = new Returns(store);
        CheckoutDocument second = checkout(2, "host-1");
        assertFalse(returns.isReturned(second));
        String text = returns.giveBack(second, key, T0.plusSeconds(60));
        assertTrue(CheckoutReturn.parse(text).verify(key.secretHash()));
        assertEquals(2, store.readReturnedSeq());
        Returns afterRestart = new Returns(store);
        assertTrue(afterRestart.isReturned(second));
        assertTrue(afterRestart.isReturned(checkout(1, "host-1")), "an older checkout of this machine");
        assertFalse(afterRestart.isReturned(checkout(3, "host-1")), "the next one");
    }

    @Test
    void anUnboundCheckoutOrAnotherLicensesKeyCannotBeReturned() {
        Returns returns = new Returns(CacheStore.inMemory());
        assertThrows(LicenseClientException.class, () -> returns.giveBack(checkout(1, null), key, T0));
        assertThrows(LicenseClientException.class, () -> returns.giveBack(checkout(1, "host-1"),
                LicenseKey.generate(UUID.randomUUID()), T0));
    }

    @Test
    void aRequestNeedsAUsableFingerprintAndCarriesNoSecret() {
        String text = Returns.request(key, "p", "host-1", T0, null);
        assertFalse(text.contains(key.text()) || text.contains(key.secretHash()), text);
        assertThrows(LicenseClientException.class, () -> Returns.request(key, "p", "has space", T0, null));
    }
}
