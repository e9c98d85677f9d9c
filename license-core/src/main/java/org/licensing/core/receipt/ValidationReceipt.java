package org.licensing.core.receipt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import org.licensing.core.license.Entitlements;

/**
 * What a validation receipt states: the validator's signed answer to one validation request. Instants are whole
 * seconds (JWT NumericDate).
 *
 * <h2>JWT claims ({@code typ} {@value #TYP})</h2>
 * {@code iss} (the validator), {@code iat}, {@code jti} (unique per receipt), {@code exp} (= {@code lease_until}),
 * {@code nonce} (the caller's, echoed), {@code code} (the validation code, e.g. {@code VALID}), {@code product},
 * {@code fingerprint} (when the request gave one), {@code license_id} (only when the key matched a license),
 * {@code lease_until} (epoch seconds: a product may run offline until then; equals {@code iat} when the answer
 * permits no use), {@code entitlements} (when the key matched a license: {@code {"features": {..}, "limits": {..}}},
 * limits as exact decimal numbers), so a product can check usage offline against signed limits.
 *
 * @param fingerprint the machine's fingerprint, or null
 * @param licenseId the license's id, or null when the key matched no license
 * @param entitlements what the license grants, or null when the key matched no license
 */
public record ValidationReceipt(String nonce, String code, String productCode, String fingerprint, String licenseId,
        Instant issuedAt, Instant leaseUntil, Entitlements entitlements) {

    /** The JOSE {@code typ} header of receipts: a receipt is never mistaken for a license file and vice versa. */
    public static final String TYP = "validation-receipt+jwt";

    public ValidationReceipt {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(productCode, "productCode");
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        leaseUntil = Objects.requireNonNull(leaseUntil, "leaseUntil").truncatedTo(ChronoUnit.SECONDS);
    }

    /** The claims, with {@code iss} = {@code issuer} and {@code jti} = {@code receiptId}. */
    public JWTClaimsSet toClaims(String issuer, String receiptId) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(leaseUntil))
                .jwtID(receiptId)
                .claim("nonce", nonce)
                .claim("code", code)
                .claim("product", productCode)
                .claim("lease_until", leaseUntil.getEpochSecond());
        if (fingerprint != null) {
            claims.claim("fingerprint", fingerprint);
        }
        if (licenseId != null) {
            claims.claim("license_id", licenseId);
        }
        if (entitlements != null) {
            claims.claim("entitlements", entitlements.toClaim());
        }
        return claims.build();
    }

    /**
     * The receipt in verified {@code claims}.
     *
     * @throws IllegalArgumentException when a required claim is missing or has the wrong type
     */
    public static ValidationReceipt fromClaims(JWTClaimsSet claims) {
        try {
            Long leaseUntil = claims.getLongClaim("lease_until");
            Date iat = claims.getIssueTime();
            if (leaseUntil == null || iat == null) {
                throw new IllegalArgumentException("Receipt has no " + (iat == null ? "iat" : "lease_until"));
            }
            return new ValidationReceipt(required(claims.getStringClaim("nonce"), "nonce"),
                    required(claims.getStringClaim("code"), "code"),
                    required(claims.getStringClaim("product"), "product"), claims.getStringClaim("fingerprint"),
                    claims.getStringClaim("license_id"), iat.toInstant(), Instant.ofEpochSecond(leaseUntil),
                    claims.getClaim("entitlements") == null ? null
                            : Entitlements.fromClaim(claims.getClaim("entitlements"), "entitlements"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("Receipt claim has the wrong type: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("Receipt has no " + name);
        }
        return value;
    }
}
