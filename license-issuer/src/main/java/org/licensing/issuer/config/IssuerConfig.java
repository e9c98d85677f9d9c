package org.licensing.issuer.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the issuer ({@code licensing.*}). */
@ConfigMapping(prefix = "licensing")
public interface IssuerConfig {

    /** DynamoDB table holding license records and idempotency records. */
    @WithDefault("licenses")
    String table();

    /**
     * When signing keys or the idempotency secret are not configured, generate ephemeral ones at start-up (with a
     * warning) instead of refusing to start. True in dev/test/local only.
     */
    @WithDefault("false")
    boolean ephemeralSecrets();

    Signing signing();

    Idempotency idempotency();

    /** License files; the keys themselves are service-support's {@code licensing.signing.*} (SigningConfig). */
    interface Signing {
        /** {@code iss} claim of license files. */
        @WithDefault("https://licensing.dev/issuer")
        String issuer();
    }

    interface Idempotency {
        /**
         * Server-side secret (base64, at least 32 bytes) mixed into the key that encrypts stored answers.
         * Without it (dev/test/local only) an ephemeral secret is generated at start-up.
         */
        Optional<String> secret();

        /** How long a first answer is replayed for the same Idempotency-Key. */
        @WithDefault("PT24H")
        Duration ttl();

        /** How long an unfinished request holds its key before a retry may take over. */
        @WithDefault("PT30S")
        Duration lease();
    }
}
