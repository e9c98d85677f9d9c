package org.licensing.core.document;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.licensing.core.crypto.Hkdf;
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
        return DirectJwe.seal(DirectJwe.header(key.licenseId().toString()).build(), licenseFileJws, contentKey(key));
    }

    /**
     * Decrypts an encrypted license file with the license key; returns the signed license file (still to be
     * {@link #verify verified}: decryption proves only that the key holder's key was used).
     *
     * @throws LicenseFileException MALFORMED, UNSUPPORTED_ALGORITHM or DECRYPTION_FAILED
     */
    public static String decrypt(String jwe, LicenseKey key) {
        Objects.requireNonNull(key, "key");
        JWEObject obj = DirectJwe.parse(jwe, MAX_JWE_LENGTH, "Encrypted license file");
        String kid = obj.getHeader().getKeyID();
        if (kid != null && !kid.equalsIgnoreCase(key.licenseId().toString())) {
            throw new LicenseFileException(LicenseFileException.Reason.DECRYPTION_FAILED,
                    "Encrypted license file is for another license (kid " + kid + ")");
        }
        return DirectJwe.open(obj, contentKey(key),
                "Encrypted license file cannot be decrypted with this license key (wrong key or altered file)");
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
        JwsVerifier.Verified verified = DirectJwe.verifySigned(jws, keys, TYP, expectedIssuer, "License file");
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
}
