package org.licensing.issuer.support;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a random 96-bit nonce and a 128-bit tag, as this service seals what it stores (idempotency answers,
 * webhook signing secrets): {@code nonce || ciphertext || tag}, with associated data that binds a sealed value to
 * its place (a record key, an endpoint id), so it cannot be moved to another.
 */
public final class AesGcm {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private AesGcm() {
    }

    public static byte[] seal(byte[] key, byte[] associatedData, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[NONCE + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * The plain value.
     *
     * @throws GeneralSecurityException when it does not open under {@code key} and {@code associatedData} (another
     *         key, another place, altered, or too short to be sealed)
     */
    public static byte[] open(byte[] key, byte[] associatedData, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short to be sealed");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        c.updateAAD(associatedData);
        return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    }
}
