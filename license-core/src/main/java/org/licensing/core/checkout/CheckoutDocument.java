package org.licensing.core.checkout;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.licensing.core.document.LicenseDocument;

/**
 * What a checkout file says: the license (as in a license file) plus the machine it is bound to, the checkout's
 * own time span and a per-license sequence number.
 *
 * <h2>JWT claims ({@code typ: checkout+jwt})</h2>
 * <table>
 *   <caption>Claims of a checkout file</caption>
 *   <tr><th>Claim</th><th>Meaning</th></tr>
 *   <tr><td>{@code iss}, {@code jti}, {@code sub}, {@code lic.*}</td><td>as in a license file: issuer, license id,
 *   customer id, product, features, limits, max activations, grace days</td></tr>
 *   <tr><td>{@code lic.expires_at}</td><td>the license's own expiry (s); grace runs after it</td></tr>
 *   <tr><td>{@code iat}</td><td>when the checkout was made (s): a trusted time for the offline clock</td></tr>
 *   <tr><td>{@code nbf}</td><td>the license's start (s)</td></tr>
 *   <tr><td>{@code exp}</td><td>the checkout's end (s), never past the license's expiry + grace</td></tr>
 *   <tr><td>{@code chk}</td><td>checkout id (UUID)</td></tr>
 *   <tr><td>{@code seq}</td><td>per-license sequence number, higher for every new checkout of the license</td></tr>
 *   <tr><td>{@code fp}</td><td>the fingerprint it is bound to; absent only when the license's policy allows
 *   unbound files</td></tr>
 *   <tr><td>{@code relay_key}</td><td>optional: the public Ed25519 JWK of a site's relay, certified by the vendor's
 *   signature (a relay checkout)</td></tr>
 * </table>
 *
 * @param license the license; its {@code issuedAt} is the license's, its {@code expiresAt} the license's expiry
 * @param fingerprint the machine or cluster, or null for an unbound file
 * @param issuedAt when the checkout was made
 * @param until the checkout's end
 * @param relayKey a relay's public key, or null
 */
public record CheckoutDocument(UUID checkoutId, LicenseDocument license, String fingerprint, long sequence,
        Instant issuedAt, Instant until, OctetKeyPair relayKey) {

    public static final String CHECKOUT_ID = "chk";
    public static final String SEQUENCE = "seq";
    public static final String FINGERPRINT = "fp";
    public static final String RELAY_KEY = "relay_key";
    public static final String LICENSE_EXPIRES_AT = "expires_at";
    public static final String LICENSE_ISSUED_AT = "issued_at";

    public CheckoutDocument {
        Objects.requireNonNull(checkoutId, "checkoutId");
        Objects.requireNonNull(license, "license");
        if (fingerprint != null) {
            Fingerprint.require(fingerprint, "fingerprint");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        until = Objects.requireNonNull(until, "until").truncatedTo(ChronoUnit.SECONDS);
        if (!until.isAfter(issuedAt)) {
            throw new IllegalArgumentException("until must be after issuedAt");
        }
        if (until.isAfter(license.graceEndsAt())) {
            throw new IllegalArgumentException("until must not be past the license's expiry + grace ("
                    + license.graceEndsAt() + ")");
        }
        if (relayKey != null) {
            relayKey = RelayKeys.requirePublic(relayKey.toJSONObject());
        }
    }

    /** Whether the file names the machine it is for (false only where the policy allows unbound files). */
    public boolean bound() {
        return fingerprint != null;
    }

    /** The JWT claims (see the class table) with {@code iss} = {@code issuer} (omitted when null). */
    public JWTClaimsSet toClaims(String issuer) {
        JWTClaimsSet base = license.toClaims(issuer);
        @SuppressWarnings("unchecked")
        Map<String, Object> lic = new LinkedHashMap<>((Map<String, Object>) base.getClaim(LicenseDocument.LIC));
        lic.put(LICENSE_ISSUED_AT, license.issuedAt().getEpochSecond());
        lic.put(LICENSE_EXPIRES_AT, license.expiresAt().getEpochSecond());
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder(base)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(until))
                .claim(LicenseDocument.LIC, lic)
                .claim(CHECKOUT_ID, checkoutId.toString())
                .claim(SEQUENCE, sequence);
        if (fingerprint != null) {
            b.claim(FINGERPRINT, fingerprint);
        }
        if (relayKey != null) {
            b.claim(RELAY_KEY, relayKey.toPublicJWK().toJSONObject());
        }
        return b.build();
    }

    /**
     * The document in {@code claims}.
     *
     * @throws IllegalArgumentException when a claim is missing or has the wrong type
     */
    public static CheckoutDocument fromClaims(JWTClaimsSet claims) {
        Objects.requireNonNull(claims, "claims");
        Object licObj = claims.getClaim(LicenseDocument.LIC);
        if (!(licObj instanceof Map<?, ?> lic)) {
            throw new IllegalArgumentException("Claim \"lic\" is missing or not an object");
        }
        Instant licenseIssued = epochSeconds(lic.get(LICENSE_ISSUED_AT), "lic." + LICENSE_ISSUED_AT);
        Instant licenseExpires = epochSeconds(lic.get(LICENSE_EXPIRES_AT), "lic." + LICENSE_EXPIRES_AT);
        if (claims.getIssueTime() == null || claims.getExpirationTime() == null) {
            throw new IllegalArgumentException("Claims \"iat\" and \"exp\" are required");
        }
        // The license part reads exactly as a license file's claims with the license's own times.
        JWTClaimsSet licenseClaims = new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(licenseIssued))
                .expirationTime(Date.from(licenseExpires))
                .build();
        LicenseDocument license = LicenseDocument.fromClaims(licenseClaims);
        Object chk = claims.getClaim(CHECKOUT_ID);
        UUID checkoutId;
        try {
            checkoutId = UUID.fromString((String) chk);
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Claim \"chk\" is missing or not a UUID");
        }
        Object fp = claims.getClaim(FINGERPRINT);
        if (fp != null && !(fp instanceof String)) {
            throw new IllegalArgumentException("Claim \"fp\" must be a string");
        }
        Object seq = claims.getClaim(SEQUENCE);
        if (!(seq instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() >= 0x1p53) {
            throw new IllegalArgumentException("Claim \"seq\" must be a positive integer");
        }
        OctetKeyPair relay = null;
        Object rk = claims.getClaim(RELAY_KEY);
        if (rk != null) {
            if (!(rk instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("Claim \"relay_key\" must be a JWK object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) m;
            relay = RelayKeys.requirePublic(jwk);
        }
        return new CheckoutDocument(checkoutId, license, (String) fp, n.longValue(),
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant(), relay);
    }

    private static Instant epochSeconds(Object v, String name) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 0x1p53) {
            return Instant.ofEpochSecond(n.longValue());
        }
        throw new IllegalArgumentException("Claim \"" + name + "\" is missing or not a number of seconds");
    }
}
