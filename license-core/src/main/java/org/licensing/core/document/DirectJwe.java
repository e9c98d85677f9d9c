package org.licensing.core.document;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.document.LicenseFileException.Reason;

/**
 * The one reader and writer of the offline files' envelopes: a JWS checked by {@link JwsVerifier} and, around it, a
 * compact JWE with {@code alg dir} and {@code enc A256GCM} under a key derived from the license key. License files
 * and checkouts differ only in how the content key is derived and which header names the machine; the strict
 * parsing (size bound, canonical base64url, no zip, no crit, no encrypted key) is the same for both, here.
 */
public final class DirectJwe {

    private DirectJwe() {
    }

    /** Encrypts {@code payload} under {@code cek} with {@code header} ({@code alg dir}, {@code enc A256GCM}); zeroes the key. */
    public static String seal(JWEHeader header, String payload, byte[] cek) {
        JWEObject jwe = new JWEObject(header, new Payload(payload));
        try {
            jwe.encrypt(new DirectEncrypter(cek));
        } catch (JOSEException e) {
            throw new IllegalStateException("A256GCM encryption failed", e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return jwe.serialize();
    }

    /** A header builder with {@code alg dir}, {@code enc A256GCM}, {@code cty JWT} and {@code kid}. */
    public static JWEHeader.Builder header(String kid) {
        return new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).contentType("JWT").keyID(kid);
    }

    /**
     * Parses a compact JWE strictly, without decrypting it.
     *
     * @param what what the caller reads, for messages ("Checkout", "Encrypted license file")
     * @throws LicenseFileException MALFORMED (empty, larger than {@code maxLength}, not five canonical base64url
     *     parts, not JSON) or UNSUPPORTED_ALGORITHM (anything but dir/A256GCM, zip, crit, an encrypted key)
     */
    public static JWEObject parse(String jwe, int maxLength, String what) {
        if (jwe == null || jwe.isBlank()) {
            throw new LicenseFileException(Reason.MALFORMED, what + " is empty");
        }
        if (jwe.length() > maxLength) {
            throw new LicenseFileException(Reason.MALFORMED, what + " is larger than " + maxLength + " characters");
        }
        String s = jwe.strip();
        String[] parts = s.split("\\.", -1);
        if (parts.length != 5) {
            throw new LicenseFileException(Reason.MALFORMED,
                    "Not a compact JWE: expected 5 dot-separated parts, got " + parts.length);
        }
        for (String p : parts) {
            if (!isCanonicalBase64Url(p)) {
                throw new LicenseFileException(Reason.MALFORMED, what + " part is not canonical base64url");
            }
        }
        JWEObject obj;
        try {
            obj = JWEObject.parse(s);
        } catch (ParseException | RuntimeException e) {
            throw new LicenseFileException(Reason.MALFORMED, "Not a " + what.toLowerCase() + ": " + e.getMessage(), e);
        }
        JWEHeader h = obj.getHeader();
        if (!JWEAlgorithm.DIR.equals(h.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
                || h.getCompressionAlgorithm() != null
                || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())
                || !parts[1].isEmpty()) {
            throw new LicenseFileException(Reason.UNSUPPORTED_ALGORITHM,
                    what + " must use alg dir, enc A256GCM, no zip, no crit");
        }
        return obj;
    }

    /** Decrypts a {@link #parse parsed} JWE with {@code cek} (zeroed afterwards); DECRYPTION_FAILED with {@code failure}. */
    public static String open(JWEObject obj, byte[] cek, String failure) {
        try {
            obj.decrypt(new DirectDecrypter(cek));
        } catch (JOSEException | RuntimeException e) {
            throw new LicenseFileException(Reason.DECRYPTION_FAILED, failure, e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return obj.getPayload().toString();
    }

    /**
     * Verifies a signed file: {@code typ}, EdDSA, a known {@code kid}, the signature and (when not null) {@code iss};
     * failures as {@link LicenseFileException} with the verifier's reason.
     */
    public static JwsVerifier.Verified verifySigned(String jws, JWKSet keys, String typ, String expectedIssuer,
            String what) {
        JwsVerifier.Verified verified;
        try {
            verified = JwsVerifier.verify(jws, keys, typ);
        } catch (JwsVerificationException e) {
            throw new LicenseFileException(reasonOf(e.reason()), what + " rejected: " + e.getMessage(), e);
        }
        if (expectedIssuer != null && !expectedIssuer.equals(verified.claims().getIssuer())) {
            throw new LicenseFileException(Reason.WRONG_ISSUER, what + " issuer is not " + expectedIssuer);
        }
        return verified;
    }

    private static Reason reasonOf(JwsVerificationException.Reason r) {
        return switch (r) {
            case MALFORMED -> Reason.MALFORMED;
            case UNSUPPORTED_ALGORITHM -> Reason.UNSUPPORTED_ALGORITHM;
            case UNKNOWN_KEY -> Reason.UNKNOWN_KEY;
            case BAD_SIGNATURE -> Reason.BAD_SIGNATURE;
            case WRONG_TYPE -> Reason.WRONG_TYPE;
        };
    }

    private static boolean isCanonicalBase64Url(String s) {
        if (s.length() % 4 == 1) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        byte[] raw = Base64.getUrlDecoder().decode(s);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(s);
    }
}
