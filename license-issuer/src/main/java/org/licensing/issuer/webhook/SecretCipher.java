package org.licensing.issuer.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.licensing.core.crypto.Hkdf;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.support.AesGcm;

/**
 * Seals the endpoints' signing secrets for PostgreSQL: {@code v1:} + base64 of AES-256-GCM under
 * {@code licensing.webhooks.secret-key} (or a key derived from {@code licensing.idempotency.secret}), with the
 * endpoint's id as associated data, so a sealed secret cannot be copied to another endpoint. HMAC signing needs the
 * secret itself, so a hash would not do; sealing keeps a database dump or backup from signing deliveries.
 */
@ApplicationScoped
public class SecretCipher {

    static final String PREFIX = "v1:";
    private static final Logger LOG = Logger.getLogger(SecretCipher.class);
    private static final byte[] DERIVATION_SALT = "licensing/webhook-secrets".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DERIVATION_INFO = "v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;

    @Inject
    public SecretCipher(IssuerConfig config) {
        this(keyOf(config));
    }

    SecretCipher(byte[] key) {
        this.key = key.clone();
    }

    private static byte[] keyOf(IssuerConfig config) {
        Optional<byte[]> own = config.webhooks().secretKey().map(s -> Base64.getDecoder().decode(s.strip()));
        if (own.isPresent()) {
            if (own.get().length < 32) {
                throw new IllegalStateException("licensing.webhooks.secret-key must be at least 32 bytes");
            }
            return Hkdf.derive(own.get(), DERIVATION_SALT, DERIVATION_INFO, 32);
        }
        Optional<byte[]> idempotency = config.idempotency().secret().map(s -> Base64.getDecoder().decode(s.strip()));
        if (idempotency.isPresent()) {
            return Hkdf.derive(idempotency.get(), DERIVATION_SALT, DERIVATION_INFO, 32);
        }
        if (!config.ephemeralSecrets()) {
            throw new IllegalStateException("licensing.webhooks.secret-key (or licensing.idempotency.secret) is"
                    + " required (base64, at least 32 bytes)");
        }
        LOG.warn("No licensing.webhooks.secret-key or licensing.idempotency.secret configured: webhook secrets are"
                + " sealed under an EPHEMERAL key and cannot sign after a restart. Never run production like this.");
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** What is stored for {@code secret} of endpoint {@code endpointId}; null stays null. */
    public String seal(UUID endpointId, String secret) {
        if (secret == null) {
            return null;
        }
        return PREFIX + Base64.getEncoder().encodeToString(AesGcm.seal(key, aad(endpointId),
                secret.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The secret stored as {@code stored}; empty when it does not open (sealed under another key, or altered). A
     * value without the prefix is a secret stored in clear before sealing existed, and is answered as it is.
     */
    public Optional<String> open(UUID endpointId, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        if (!stored.startsWith(PREFIX)) {
            return Optional.of(stored);
        }
        try {
            return Optional.of(new String(AesGcm.open(key, aad(endpointId),
                    Base64.getDecoder().decode(stored.substring(PREFIX.length()))), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] aad(UUID endpointId) {
        return endpointId.toString().getBytes(StandardCharsets.UTF_8);
    }
}
