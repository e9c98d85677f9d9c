package org.licensing.core.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) with HMAC-SHA256. */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LEN = 32;

    private Hkdf() {
    }

    /** Extract-then-expand: {@code OKM = HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}. */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }

    /** {@code PRK = HMAC-SHA256(salt, ikm)}; a null or empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        Objects.requireNonNull(ikm, "ikm");
        byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt;
        return mac(s).doFinal(ikm);
    }

    /** {@code T(1) | T(2) | ...} truncated to {@code length} bytes (at most 255 * 32). */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        Objects.requireNonNull(prk, "prk");
        if (length < 0 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF length must be 0.." + 255 * HASH_LEN + ", got " + length);
        }
        byte[] inf = info == null ? new byte[0] : info;
        Mac mac = mac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int pos = 0;
        for (int i = 1; pos < length; i++) {
            mac.update(t);
            mac.update(inf);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - pos);
            System.arraycopy(t, 0, out, pos, n);
            pos += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 not available", e);
        }
    }
}
