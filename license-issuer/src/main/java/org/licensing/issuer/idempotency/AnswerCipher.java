package org.licensing.issuer.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.licensing.core.crypto.Hkdf;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.support.AesGcm;

/**
 * Encrypts what an idempotency record keeps (the first answer, which may hold a license key) with AES-256-GCM under
 * {@code HKDF-SHA256(ikm = server secret, salt = record pk, info = "licensing/idempotency/v1" || Idempotency-Key)}.
 * Reading it back needs both the server secret and the client's Idempotency-Key value, which is stored nowhere
 * (the record's pk is a hash of it). The record pk is the GCM associated data, so a payload cannot be moved to
 * another record.
 */
@ApplicationScoped
public class AnswerCipher {

    private static final Logger LOG = Logger.getLogger(AnswerCipher.class);
    private static final String INFO = "licensing/idempotency/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] serverSecret;

    @Inject
    public AnswerCipher(IssuerConfig config) {
        this(secretOf(config));
    }

    private AnswerCipher(byte[] serverSecret) {
        if (serverSecret.length < 32) {
            throw new IllegalStateException("licensing.idempotency.secret must be at least 32 bytes");
        }
        this.serverSecret = serverSecret.clone();
    }

    /** A cipher under another server secret: tests write records the way an issuer with that secret would. */
    static AnswerCipher withSecret(byte[] serverSecret) {
        return new AnswerCipher(serverSecret);
    }

    private static byte[] secretOf(IssuerConfig config) {
        return config.idempotency().secret()
                .map(s -> Base64.getDecoder().decode(s.strip()))
                .orElseGet(() -> {
                    if (!config.ephemeralSecrets()) {
                        throw new IllegalStateException(
                                "licensing.idempotency.secret is required (base64, at least 32 bytes)");
                    }
                    LOG.warn("No licensing.idempotency.secret configured: using an EPHEMERAL secret; retries across a"
                            + " restart will not find their first answer. Never run production like this.");
                    byte[] b = new byte[32];
                    RANDOM.nextBytes(b);
                    return b;
                });
    }

    public byte[] encrypt(String pk, String idempotencyKey, byte[] plain) {
        byte[] key = key(pk, idempotencyKey);
        try {
            return AesGcm.seal(key, pk.getBytes(StandardCharsets.UTF_8), plain);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The plain payload.
     *
     * @throws UnreadableAnswerException when the payload does not open under this secret (it was sealed under
     *         another one: the secret was rotated or, in dev/local, regenerated at start-up) or is damaged
     */
    public byte[] decrypt(String pk, String idempotencyKey, byte[] sealed) {
        byte[] key = key(pk, idempotencyKey);
        try {
            return AesGcm.open(key, pk.getBytes(StandardCharsets.UTF_8), sealed);
        } catch (GeneralSecurityException e) {
            throw new UnreadableAnswerException(pk, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] key(String pk, String idempotencyKey) {
        byte[] info = (INFO + "\u0000" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
        return Hkdf.derive(serverSecret, pk.getBytes(StandardCharsets.UTF_8), info, 32);
    }
}
