package org.licensing.issuer.config;

import java.time.Duration;
import java.util.Map;
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

    interface Signing {
        /** {@code iss} claim of license files. */
        @WithDefault("https://licensing.dev/issuer")
        String issuer();

        /** kid of the key that signs new license files; required when {@link #keys()} is not empty. */
        Optional<String> activeKid();

        /**
         * kid -> path of a PKCS#8 Ed25519 PEM file, or the PEM text itself (starts with {@code -----BEGIN}, for
         * env variables). Every key listed is published in the JWK Set.
         */
        Map<String, String> keys();

        /** A directory with one {@code <kid>.pem} per key (a mounted secret); combined with {@link #keys()}. */
        Optional<String> keyDirectory();

        /** Alternative to {@link #keys()}: a private JWK Set JSON of Ed25519 keys (e.g. from a secret store). */
        Optional<String> jwkSet();
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
