package org.licensing.core.checkout;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.licensing.core.crypto.Hkdf;
import org.licensing.core.key.LicenseKey;

/**
 * A machine's statement that it gave a checkout back (it deleted the file): the issuer then frees the seat. It is
 * authenticated with a MAC under a key derived from the license key and the fingerprint, so only the key holder
 * on that machine can return its checkout; the issuer checks it with the stored hash of the key.
 *
 * <pre>
 * {"typ":"licensing.checkout-return.v1","license_id":"…","checkout_id":"…","fingerprint":"host-…","seq":7,
 *  "returned_at":"2026-12-07T10:00:00Z","mac":"<base64url HMAC-SHA256>"}
 * </pre>
 * MAC key = HKDF-SHA256(IKM = SHA-256(secret), salt = license id, info = "licensing/checkout-return/v1" || 0x00 ||
 * fingerprint, L = 32); MAC input = the lines {@code typ, license_id, checkout_id, fingerprint, seq,
 * returned_at (epoch seconds)} joined with "\n".
 */
public record CheckoutReturn(UUID licenseId, UUID checkoutId, String fingerprint, long sequence, Instant returnedAt,
        String mac) {

    public static final String TYPE = "licensing.checkout-return.v1";
    static final String HKDF_INFO = "licensing/checkout-return/v1";
    private static final Set<String> MEMBERS = Set.of("typ", "license_id", "checkout_id", "fingerprint", "seq",
            "returned_at", "mac");
    private static final String WHAT = "Checkout return";

    public CheckoutReturn {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(checkoutId, "checkoutId");
        Fingerprint.require(fingerprint, WHAT + ": fingerprint");
        if (sequence < 1) {
            throw new IllegalArgumentException(WHAT + ": seq must be >= 1");
        }
        returnedAt = Objects.requireNonNull(returnedAt, "returnedAt").truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(mac, "mac");
    }

    /** The return of {@code checkout} on this machine, authenticated with {@code key}. */
    public static CheckoutReturn create(CheckoutDocument checkout, LicenseKey key, Instant now) {
        if (!checkout.bound()) {
            throw new IllegalArgumentException("An unbound checkout takes no seat and is not returned");
        }
        UUID licenseId = key.licenseId();
        if (!licenseId.toString().equalsIgnoreCase(checkout.license().licenseId())) {
            throw new IllegalArgumentException("The key is for another license than the checkout");
        }
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        String mac = mac(licenseId, key.secretHash(), checkout.checkoutId(), checkout.fingerprint(),
                checkout.sequence(), at);
        return new CheckoutReturn(licenseId, checkout.checkoutId(), checkout.fingerprint(), checkout.sequence(), at,
                mac);
    }

    /** Whether the MAC was made with the key whose stored hash is {@code secretHash} (constant-time compare). */
    public boolean verify(String secretHash) {
        String expected = mac(licenseId, secretHash, checkoutId, fingerprint, sequence, returnedAt);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                mac.getBytes(StandardCharsets.US_ASCII));
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("typ", TYPE);
        json.put("license_id", licenseId.toString());
        json.put("checkout_id", checkoutId.toString());
        json.put("fingerprint", fingerprint);
        json.put("seq", sequence);
        json.put("returned_at", returnedAt.toString());
        json.put("mac", mac);
        return JSONObjectUtils.toJSONString(json);
    }

    /**
     * Reads a return file (the MAC is not checked here: {@link #verify}).
     *
     * @throws IllegalArgumentException with a message a person can act on
     */
    public static CheckoutReturn parse(String text) {
        Map<String, Object> json = CheckoutJson.parse(text, WHAT, TYPE, MEMBERS);
        return new CheckoutReturn(CheckoutJson.uuid(json, "license_id", WHAT),
                CheckoutJson.uuid(json, "checkout_id", WHAT), CheckoutJson.text(json, "fingerprint", WHAT),
                CheckoutJson.positiveLong(json, "seq", WHAT), CheckoutJson.instant(json, "returned_at", WHAT),
                CheckoutJson.text(json, "mac", WHAT));
    }

    private static String mac(UUID licenseId, String secretHash, UUID checkoutId, String fingerprint, long sequence,
            Instant at) {
        byte[] ikm = CheckoutFiles.decodeHash(secretHash);
        byte[] key = Hkdf.derive(ikm, licenseId.toString().getBytes(StandardCharsets.UTF_8),
                (HKDF_INFO + "\0" + fingerprint).getBytes(StandardCharsets.UTF_8), 32);
        Arrays.fill(ikm, (byte) 0);
        String input = String.join("\n", TYPE, licenseId.toString(), checkoutId.toString(), fingerprint,
                Long.toString(sequence), Long.toString(at.getEpochSecond()));
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
