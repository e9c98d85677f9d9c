package org.licensing.issuer.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.issuer.idempotency.AnswerCipher;
import org.licensing.store.LicenseStore;

import io.quarkus.runtime.StartupEvent;

/**
 * Builds the DynamoDB client, the signing keys and the idempotency cipher at start-up, on the main thread: a
 * missing prod secret fails the start, and the first request does not pay (and block an event loop) for them.
 */
@ApplicationScoped
public class Warmup {

    void onStart(@Observes StartupEvent event, LicenseStore store, SigningKeys keys, AnswerCipher cipher) {
        store.table();
        keys.activeKid();
        cipher.toString();
    }
}
