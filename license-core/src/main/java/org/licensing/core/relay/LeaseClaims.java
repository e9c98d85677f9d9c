package org.licensing.core.relay;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.licensing.core.checkout.Fingerprint;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.license.Entitlements;

/**
 * What a relay's lease answer states ({@code typ} {@value #TYP}, signed by the relay key the vendor certified in the
 * relay checkout). The relay signs it with {@link #toClaims()}; a node reads it back with {@link #fromPayload} after
 * {@link LeaseVerifier} checked the chain. Instants are whole seconds.
 *
 * <table>
 *   <caption>Claims of a lease</caption>
 *   <tr><th>Claim</th><th>Meaning</th></tr>
 *   <tr><td>{@code jti}</td><td>lease id</td></tr>
 *   <tr><td>{@code iat}, {@code exp}</td><td>answer time, the lease's end (s)</td></tr>
 *   <tr><td>{@code lease_until}</td><td>the lease's end (s); never past the checkout's end</td></tr>
 *   <tr><td>{@code nonce}, {@code fingerprint}</td><td>the node's nonce and fingerprint, echoed</td></tr>
 *   <tr><td>{@code quantities}</td><td>what the node holds, as JSON numbers (exact: at most 6 decimal places)</td></tr>
 *   <tr><td>{@code license_id}, {@code product}</td><td>the license and product</td></tr>
 *   <tr><td>{@code chk}, {@code site}</td><td>the checkout's id and the site fingerprint it is bound to</td></tr>
 * </table>
 *
 * @param quantities what the node holds, by limit name, exact decimals (sorted, unmodifiable)
 * @param site the fingerprint of the relay's site (the checkout's {@code fp})
 */
public record LeaseClaims(UUID leaseId, Instant issuedAt, Instant leaseUntil, String nonce, String fingerprint,
        Map<String, BigDecimal> quantities, String licenseId, String productCode, UUID checkoutId, String site) {

    /** The JOSE {@code typ} of a lease: never mistaken for a receipt, a license file or a checkout. */
    public static final String TYP = "lease+jwt";

    public LeaseClaims {
        Objects.requireNonNull(leaseId, "leaseId");
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        leaseUntil = Objects.requireNonNull(leaseUntil, "leaseUntil").truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(nonce, "nonce");
        Fingerprint.require(fingerprint, "fingerprint");
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(productCode, "productCode");
        Objects.requireNonNull(checkoutId, "checkoutId");
        Fingerprint.require(site, "site");
        Map<String, BigDecimal> q = new TreeMap<>();
        Objects.requireNonNull(quantities, "quantities").forEach((k, v) -> {
            if (v == null || v.signum() < 0) {
                throw new IllegalArgumentException("Quantity " + k + " must be a non-negative number");
            }
            q.put(k, v);
        });
        quantities = Collections.unmodifiableMap(q);
    }

    /** The JWT claims (see the class table). */
    public JWTClaimsSet toClaims() {
        return new JWTClaimsSet.Builder()
                .jwtID(leaseId.toString())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(leaseUntil))
                .claim("lease_until", leaseUntil.getEpochSecond())
                .claim("nonce", nonce)
                .claim("fingerprint", fingerprint)
                .claim("quantities", new LinkedHashMap<>(quantities))
                .claim("license_id", licenseId)
                .claim("product", productCode)
                .claim("chk", checkoutId.toString())
                .claim("site", site)
                .build();
    }

    /** {@link #fromPayload} of parsed claims (numbers through nimbus: read a verified payload where exactness counts). */
    public static LeaseClaims fromClaims(JWTClaimsSet claims) {
        return fromPayload(Objects.requireNonNull(claims, "claims").toJSONObject());
    }

    /**
     * The lease in a signed payload (a verified JWS's {@code payload()}: numbers as exact decimals). The one parser
     * of lease claims, for the SDK and the relay's tests alike.
     *
     * @throws IllegalArgumentException when a claim is missing, has the wrong type, or {@code exp} is not
     *     {@code lease_until}
     */
    public static LeaseClaims fromPayload(Map<String, Object> payload) {
        Objects.requireNonNull(payload, "payload");
        Instant until = LicenseDocument.epochSeconds(payload.get("lease_until"), "lease_until");
        if (!until.equals(LicenseDocument.epochSeconds(payload.get("exp"), "exp"))) {
            throw new IllegalArgumentException("Claims \"exp\" and \"lease_until\" differ");
        }
        if (!(payload.get("quantities") instanceof Map<?, ?> q)) {
            throw new IllegalArgumentException("Claim \"quantities\" is missing or not an object");
        }
        Map<String, BigDecimal> quantities = new TreeMap<>();
        q.forEach((k, v) -> quantities.put(String.valueOf(k), Entitlements.decimal(v, "quantities." + k)));
        return new LeaseClaims(uuid(payload.get("jti"), "jti"),
                LicenseDocument.epochSeconds(payload.get("iat"), "iat"), until, text(payload, "nonce"),
                text(payload, "fingerprint"), quantities, text(payload, "license_id"), text(payload, "product"),
                uuid(payload.get("chk"), "chk"), text(payload, "site"));
    }

    private static String text(Map<String, Object> payload, String name) {
        if (payload.get(name) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("Claim \"" + name + "\" is missing or not a string");
    }

    private static UUID uuid(Object v, String name) {
        try {
            return UUID.fromString((String) v);
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Claim \"" + name + "\" is missing or not a UUID");
        }
    }
}
