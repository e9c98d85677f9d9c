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
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.licensing.core.crypto.Hkdf;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;

/**
 * License files: signing, verification, and encryption for the key holder.
 *
 * <h2>Signed license file</h2>
 * A compact JWS (RFC 7515), protected header {@code {"alg":"EdDSA","kid":<signing kid>,"typ":"license+jwt"}}
 * (Ed25519, RFC 8037), payload the claims of {@link LicenseDocument}. Verify with the public JWK Set the issuer
 * publishes; any JOSE library that supports EdDSA works.
 *
 * <h2>Encrypted license file</h2>
 * A compact JWE (RFC 7516) wrapping the signed file: protected header
 * {@code {"alg":"dir","enc":"A256GCM","cty":"JWT","kid":<license id>}}, empty encrypted-key part, 96-bit random IV,
 * 128-bit tag, AAD = ASCII of the base64url protected header (standard JWE). The 256-bit content key is
 * <pre>
 *   CEK = HKDF-SHA256(IKM  = the license key's 20 secret bytes (see LicenseKey: bytes 17..36 of the decoded key),
 *                     salt = UTF-8 of the license id in canonical lower-case UUID form,
 *                     info = UTF-8 of "licensing/license-file/v1",
 *                     L    = 32)
 * </pre>
 * so any JOSE library decrypts it given that key (for example Node:
 * {@code crypto.hkdfSync('sha256', secret, licenseId, 'licensing/license-file/v1', 32)} then
 * {@code jose.compactDecrypt(jwe, new Uint8Array(key))}), and only the holder of the license key can read it.
 * The key's id is public (it is in the {@code kid} header); its secret is not.
 */
public final class LicenseFiles {

    /** {@code typ} header of a signed license file. */
    public static final String TYP = "license+jwt";
    /** HKDF {@code info} for the license file content key. */
    public static final String HKDF_INFO = "licensing/license-file/v1";
    /** Largest JWE accepted by {@link #decrypt} (characters). */
    public static final int MAX_JWE_LENGTH = 96 * 1024;

    private LicenseFiles() {
    }

    /** Signs {@code doc} with the active key of {@code keys}; {@code iss} = {@code issuer}. */
    public static String sign(LicenseDocument doc, String issuer, SigningKeys keys) {
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(keys, "keys");
        return keys.sign(doc.toClaims(issuer), TYP);
    }

    /** Encrypts a signed license file so only the holder of {@code key} can read it (see class javadoc). */
    public static String encryptFor(String licenseFileJws, LicenseKey key) {
        Objects.requireNonNull(licenseFileJws, "licenseFileJws");
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .contentType("JWT")
                .keyID(key.licenseId().toString())
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(licenseFileJws));
        byte[] cek = contentKey(key);
        try {
            jwe.encrypt(new DirectEncrypter(cek));
        } catch (JOSEException e) {
            throw new IllegalStateException("A256GCM encryption failed", e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return jwe.serialize();
    }

    /**
     * Decrypts an encrypted license file with the license key; returns the signed license file (still to be
     * {@link #verify verified}: decryption proves only that the key holder's key was used).
     *
     * @throws LicenseFileException MALFORMED, UNSUPPORTED_ALGORITHM or DECRYPTION_FAILED
     */
    public static String decrypt(String jwe, LicenseKey key) {
        Objects.requireNonNull(key, "key");
        if (jwe == null || jwe.isBlank()) {
            throw new LicenseFileException(LicenseFileException.Reason.MALFORMED, "Encrypted license file is empty");
        }
        if (jwe.length() > MAX_JWE_LENGTH) {
            throw new LicenseFileException(LicenseFileException.Reason.MALFORMED,
                    "Encrypted license file is larger than " + MAX_JWE_LENGTH + " characters");
        }
        String s = jwe.strip();
        String[] parts = s.split("\\.", -1);
        if (parts.length != 5) {
            throw new LicenseFileException(LicenseFileException.Reason.MALFORMED,
                    "Not a compact JWE: expected 5 dot-separated parts, got " + parts.length);
        }
        for (String p : parts) {
            if (!isCanonicalBase64Url(p)) {
                throw new LicenseFileException(LicenseFileException.Reason.MALFORMED,
                        "Encrypted license file part is not canonical base64url");
            }
        }
        JWEObject obj;
        try {
            obj = JWEObject.parse(s);
        } catch (ParseException | RuntimeException e) {
            throw new LicenseFileException(LicenseFileException.Reason.MALFORMED,
                    "Not an encrypted license file: " + e.getMessage(), e);
        }
        JWEHeader h = obj.getHeader();
        if (!JWEAlgorithm.DIR.equals(h.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
                || h.getCompressionAlgorithm() != null
                || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())
                || !parts[1].isEmpty()) {
            throw new LicenseFileException(LicenseFileException.Reason.UNSUPPORTED_ALGORITHM,
                    "Encrypted license file must use alg dir, enc A256GCM, no zip, no crit");
        }
        if (h.getKeyID() != null && !h.getKeyID().equalsIgnoreCase(key.licenseId().toString())) {
            throw new LicenseFileException(LicenseFileException.Reason.DECRYPTION_FAILED,
                    "Encrypted license file is for another license (kid " + h.getKeyID() + ")");
        }
        byte[] cek = contentKey(key);
        try {
            obj.decrypt(new DirectDecrypter(cek));
        } catch (JOSEException | RuntimeException e) {
            throw new LicenseFileException(LicenseFileException.Reason.DECRYPTION_FAILED,
                    "Encrypted license file cannot be decrypted with this license key (wrong key or altered file)",
                    e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return obj.getPayload().toString();
    }

    /** The 256-bit AES-GCM content key for {@code key}'s license file (see class javadoc). Secret: never log it. */
    public static byte[] contentKey(LicenseKey key) {
        byte[] secret = key.secret();
        try {
            return Hkdf.derive(secret, key.licenseId().toString().getBytes(StandardCharsets.UTF_8),
                    HKDF_INFO.getBytes(StandardCharsets.UTF_8), 32);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Verifies a signed license file against trusted public keys and reports its validity at {@code now}.
     * Any issuer is accepted; see {@link #verify(String, JWKSet, String, Instant, Duration)}.
     */
    public static VerifiedLicense verify(String jws, JWKSet keys, Instant now, Duration clockSkew) {
        return verify(jws, keys, null, now, clockSkew);
    }

    /**
     * Verifies a signed license file: {@code typ license+jwt}, {@code alg EdDSA}, a {@code kid} in {@code keys},
     * a matching signature, a well-formed license document and (when {@code expectedIssuer} is not null) its
     * {@code iss}. Time is not an error: it is reported as the {@link VerifiedLicense#status()}, with
     * {@code clockSkew} tolerated on both {@code nbf} and {@code exp} (and the grace end).
     *
     * @throws LicenseFileException when the file cannot be trusted or read
     */
    public static VerifiedLicense verify(String jws, JWKSet keys, String expectedIssuer, Instant now,
            Duration clockSkew) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(now, "now");
        Duration skew = clockSkew == null ? Duration.ZERO : clockSkew;
        if (skew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative");
        }
        JwsVerifier.Verified verified;
        try {
            verified = JwsVerifier.verify(jws, keys, TYP);
        } catch (JwsVerificationException e) {
            throw new LicenseFileException(map(e.reason()), "License file rejected: " + e.getMessage(), e);
        }
        if (expectedIssuer != null && !expectedIssuer.equals(verified.claims().getIssuer())) {
            throw new LicenseFileException(LicenseFileException.Reason.WRONG_ISSUER,
                    "License file issuer is not " + expectedIssuer);
        }
        LicenseDocument doc;
        try {
            doc = LicenseDocument.fromPayload(verified.payload());
        } catch (IllegalArgumentException e) {
            throw new LicenseFileException(LicenseFileException.Reason.INVALID_CLAIMS,
                    "License file claims are invalid: " + e.getMessage(), e);
        }
        return evaluate(doc, verified.kid(), now, skew);
    }

    /** Validity of {@code doc} at {@code now} with {@code skew} tolerance. */
    static VerifiedLicense evaluate(LicenseDocument doc, String kid, Instant now, Duration skew) {
        if (now.plus(skew).isBefore(doc.notBefore())) {
            return new VerifiedLicense(doc, LicenseValidity.NOT_YET_VALID, Duration.ZERO, kid);
        }
        if (now.isBefore(doc.expiresAt().plus(skew))) {
            return new VerifiedLicense(doc, LicenseValidity.VALID, Duration.ZERO, kid);
        }
        Instant graceEnd = doc.graceEndsAt();
        if (doc.graceDays() > 0 && now.isBefore(graceEnd.plus(skew))) {
            Duration left = Duration.between(now, graceEnd);
            return new VerifiedLicense(doc, LicenseValidity.EXPIRED_IN_GRACE,
                    left.isNegative() ? Duration.ZERO : left, kid);
        }
        return new VerifiedLicense(doc, LicenseValidity.EXPIRED, Duration.ZERO, kid);
    }

    private static LicenseFileException.Reason map(JwsVerificationException.Reason r) {
        return switch (r) {
            case MALFORMED -> LicenseFileException.Reason.MALFORMED;
            case UNSUPPORTED_ALGORITHM -> LicenseFileException.Reason.UNSUPPORTED_ALGORITHM;
            case UNKNOWN_KEY -> LicenseFileException.Reason.UNKNOWN_KEY;
            case BAD_SIGNATURE -> LicenseFileException.Reason.BAD_SIGNATURE;
            case WRONG_TYPE -> LicenseFileException.Reason.WRONG_TYPE;
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
