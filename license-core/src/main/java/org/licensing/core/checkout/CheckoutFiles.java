package org.licensing.core.checkout;

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
import java.util.UUID;
import org.licensing.core.crypto.Hkdf;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
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
        JWEHeader.Builder header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .contentType("JWT")
                .keyID(licenseId.toString());
        if (fingerprint != null) {
            header.customParam(FP_HEADER, Fingerprint.require(fingerprint, "fingerprint"));
        }
        JWEObject jwe = new JWEObject(header.build(), new Payload(checkoutJws));
        byte[] cek = contentKey(licenseId, secretHash, fingerprint);
        try {
            jwe.encrypt(new DirectEncrypter(cek));
        } catch (JOSEException e) {
            throw new IllegalStateException("A256GCM encryption failed", e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return jwe.serialize();
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
        if (!JWEAlgorithm.DIR.equals(h.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
                || h.getCompressionAlgorithm() != null
                || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())
                || obj.getEncryptedKey() != null) {
            throw new LicenseFileException(Reason.UNSUPPORTED_ALGORITHM,
                    "Checkout must use alg dir, enc A256GCM, no zip, no crit");
        }
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
        byte[] cek = contentKey(key.licenseId(), key.secretHash(), fileFp);
        try {
            obj.decrypt(new DirectDecrypter(cek));
        } catch (JOSEException | RuntimeException e) {
            throw new LicenseFileException(Reason.DECRYPTION_FAILED,
                    "Checkout cannot be opened with this license key (another key of the license, or an altered file)",
                    e);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        return obj.getPayload().toString();
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
        JwsVerifier.Verified verified;
        try {
            verified = JwsVerifier.verify(jws, keys, TYP);
        } catch (JwsVerificationException e) {
            throw new LicenseFileException(map(e.reason()), "Checkout rejected: " + e.getMessage(), e);
        }
        if (expectedIssuer != null && !expectedIssuer.equals(verified.claims().getIssuer())) {
            throw new LicenseFileException(Reason.WRONG_ISSUER, "Checkout issuer is not " + expectedIssuer);
        }
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
        if (jwe == null || jwe.isBlank()) {
            throw new LicenseFileException(Reason.MALFORMED, "Checkout is empty");
        }
        if (jwe.length() > MAX_JWE_LENGTH) {
            throw new LicenseFileException(Reason.MALFORMED, "Checkout is larger than " + MAX_JWE_LENGTH
                    + " characters");
        }
        String s = jwe.strip();
        if (s.split("\\.", -1).length != 5) {
            throw new LicenseFileException(Reason.MALFORMED,
                    "Not a checkout: expected a compact JWE (5 dot-separated parts)");
        }
        try {
            return JWEObject.parse(s);
        } catch (ParseException | RuntimeException e) {
            throw new LicenseFileException(Reason.MALFORMED, "Not a checkout: " + e.getMessage(), e);
        }
    }

    private static Reason map(JwsVerificationException.Reason r) {
        return switch (r) {
            case MALFORMED -> Reason.MALFORMED;
            case UNSUPPORTED_ALGORITHM -> Reason.UNSUPPORTED_ALGORITHM;
            case UNKNOWN_KEY -> Reason.UNKNOWN_KEY;
            case BAD_SIGNATURE -> Reason.BAD_SIGNATURE;
            case WRONG_TYPE -> Reason.WRONG_TYPE;
        };
    }
}
