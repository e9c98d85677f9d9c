package org.licensing.core.checkout;

import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import org.licensing.core.crypto.Hkdf;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.DirectJwe;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFileException.Reason;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.key.LicenseKey;

/**
 * Checkout files: a JWS the vendor signs ({@code typ checkout+jwt}, claims {@link CheckoutDocument}) inside a JWE
 * that only the key holder on the bound machine opens.
 *
 * <h2>Encryption</h2>
 * Compact JWE, protected header {@code {"alg":"dir","enc":"A256GCM","cty":"JWT","kid":<license id>,"fp":<fingerprint>}}
 * ({@code fp} absent for an unbound file; the header is authenticated, so it cannot be changed), content key
 * <pre>
 *   CEK = HKDF-SHA256(IKM  = SHA-256(the license key's 20 secret bytes)  (32 bytes),
 *                     salt = UTF-8 of the license id, canonical lower-case UUID,
 *                     info = UTF-8 of "licensing/checkout/v1" || 0x00 || UTF-8 of the fingerprint ("" when unbound),
 *                     L    = 32)
 * </pre>
 * The IKM is the hash the issuer stores instead of the secret, so the issuer can make a checkout without the
 * customer presenting the key, while a file is useless without it: the license id alone (public) opens nothing,
 * and a file for one machine does not open with another fingerprint.
 */
public final class CheckoutFiles {

    /** {@code typ} header of a signed checkout. */
    public static final String TYP = "checkout+jwt";
    /** HKDF {@code info} prefix for the checkout content key. */
    public static final String HKDF_INFO = "licensing/checkout/v1";
    /** JWE header parameter naming the fingerprint the file is for. */
    public static final String FP_HEADER = "fp";
    /** Largest JWE accepted (characters). */
    public static final int MAX_JWE_LENGTH = 96 * 1024;

    private CheckoutFiles() {
    }

    /** Signs {@code doc} with the active key of {@code keys}; {@code iss} = {@code issuer}. */
    public static String sign(CheckoutDocument doc, String issuer, SigningKeys keys) {
        Objects.requireNonNull(doc, "doc");
        return keys.sign(doc.toClaims(issuer), TYP);
    }

    /**
     * Encrypts a signed checkout for the holder of the key whose stored hash is {@code secretHash}, on the machine
     * {@code fingerprint} (null: unbound).
     */
    public static String encrypt(String checkoutJws, UUID licenseId, String secretHash, String fingerprint) {
        Objects.requireNonNull(checkoutJws, "checkoutJws");
        JWEHeader.Builder header = DirectJwe.header(licenseId.toString());
        if (fingerprint != null) {
            header.customParam(FP_HEADER, Fingerprint.require(fingerprint, "fingerprint"));
        }
        return DirectJwe.seal(header.build(), checkoutJws, contentKey(licenseId, secretHash, fingerprint));
    }

    /** The fingerprint named in a checkout's JWE header (null for an unbound file), read without decrypting. */
    public static String fingerprintOf(String jwe) {
        return parse(jwe).getHeader().getCustomParam(FP_HEADER) instanceof String s ? s : null;
    }

    /**
     * Decrypts a checkout with the license key on the machine {@code fingerprint}; returns the signed checkout
     * (still to be {@link #verify verified}).
     *
     * @throws LicenseFileException WRONG_MACHINE when the file names another fingerprint, DECRYPTION_FAILED when
     *     it is for another license or key (or was changed), MALFORMED or UNSUPPORTED_ALGORITHM
     */
    public static String decrypt(String jwe, LicenseKey key, String fingerprint) {
        Objects.requireNonNull(key, "key");
        JWEObject obj = parse(jwe);
        JWEHeader h = obj.getHeader();
        if (h.getKeyID() == null || !h.getKeyID().equalsIgnoreCase(key.licenseId().toString())) {
            throw new LicenseFileException(Reason.DECRYPTION_FAILED, "Checkout is for another license (kid "
                    + h.getKeyID() + ", this key is for " + key.licenseId() + ")");
        }
        Object named = h.getCustomParam(FP_HEADER);
        if (named != null && !(named instanceof String)) {
            throw new LicenseFileException(Reason.MALFORMED, "Checkout header fp is not a string");
        }
        String fileFp = (String) named;
        if (fileFp != null && !fileFp.equals(fingerprint)) {
            throw new LicenseFileException(Reason.WRONG_MACHINE, "Checkout is for machine " + fileFp
                    + ", this machine is " + (fingerprint == null ? "without a fingerprint" : fingerprint));
        }
        return DirectJwe.open(obj, contentKey(key.licenseId(), key.secretHash(), fileFp),
                "Checkout cannot be opened with this license key (another key of the license, or an altered file)");
    }

    /**
     * Verifies a signed checkout against trusted public keys: {@code typ checkout+jwt}, EdDSA, a known {@code kid},
     * the signature, well-formed claims and (when not null) {@code iss}. Time is reported, not thrown.
     */
    public static VerifiedCheckout verify(String jws, JWKSet keys, String expectedIssuer, Instant now,
            Duration clockSkew) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(now, "now");
        Duration skew = clockSkew == null ? Duration.ZERO : clockSkew;
        JwsVerifier.Verified verified = DirectJwe.verifySigned(jws, keys, TYP, expectedIssuer, "Checkout");
        CheckoutDocument doc;
        try {
            doc = CheckoutDocument.fromClaims(verified.claims());
        } catch (IllegalArgumentException e) {
            throw new LicenseFileException(Reason.INVALID_CLAIMS, "Checkout claims are invalid: " + e.getMessage(), e);
        }
        return new VerifiedCheckout(doc, validity(doc, now, skew), verified.kid());
    }

    /**
     * Decrypts and verifies in one step, and checks that the signed {@code fp} and license id agree with the
     * encryption (a signed fingerprint is the authority; the header only routes).
     */
    public static VerifiedCheckout open(String jwe, LicenseKey key, String fingerprint, JWKSet keys,
            String expectedIssuer, Instant now, Duration clockSkew) {
        VerifiedCheckout v = verify(decrypt(jwe, key, fingerprint), keys, expectedIssuer, now, clockSkew);
        CheckoutDocument doc = v.document();
        if (!doc.license().licenseId().equalsIgnoreCase(key.licenseId().toString())) {
            throw new LicenseFileException(Reason.INVALID_CLAIMS, "Checkout is signed for license "
                    + doc.license().licenseId() + ", not " + key.licenseId());
        }
        if (doc.fingerprint() != null && !doc.fingerprint().equals(fingerprint)) {
            throw new LicenseFileException(Reason.WRONG_MACHINE, "Checkout is signed for machine "
                    + doc.fingerprint() + ", this machine is " + fingerprint);
        }
        if (doc.fingerprint() == null && fingerprintOf(jwe) != null) {
            throw new LicenseFileException(Reason.INVALID_CLAIMS, "Checkout names a machine but its claims do not");
        }
        return v;
    }

    /** The 256-bit content key (see class javadoc). Secret: never log it. */
    public static byte[] contentKey(UUID licenseId, String secretHash, String fingerprint) {
        Objects.requireNonNull(licenseId, "licenseId");
        byte[] ikm = decodeHash(secretHash);
        byte[] info = (HKDF_INFO + "\0" + (fingerprint == null ? "" : fingerprint)).getBytes(StandardCharsets.UTF_8);
        try {
            return Hkdf.derive(ikm, licenseId.toString().getBytes(StandardCharsets.UTF_8), info, 32);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    static byte[] decodeHash(String secretHash) {
        byte[] ikm;
        try {
            ikm = Base64.getUrlDecoder().decode(Objects.requireNonNull(secretHash, "secretHash"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secretHash is not base64url", e);
        }
        if (ikm.length != 32) {
            throw new IllegalArgumentException("secretHash must be a SHA-256 (32 bytes)");
        }
        return ikm;
    }

    static LicenseValidity validity(CheckoutDocument doc, Instant now, Duration skew) {
        if (now.plus(skew).isBefore(doc.license().notBefore())) {
            return LicenseValidity.NOT_YET_VALID;
        }
        if (!now.isBefore(doc.until().plus(skew))) {
            return LicenseValidity.EXPIRED;
        }
        return now.isBefore(doc.license().expiresAt().plus(skew)) ? LicenseValidity.VALID
                : LicenseValidity.EXPIRED_IN_GRACE;
    }

    private static JWEObject parse(String jwe) {
        return DirectJwe.parse(jwe, MAX_JWE_LENGTH, "Checkout");
    }
}
