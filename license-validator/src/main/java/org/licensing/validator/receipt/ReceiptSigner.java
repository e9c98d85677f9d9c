package org.licensing.validator.receipt;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.validator.validation.ValidationCode;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Signs validation receipts: compact JWS, EdDSA (Ed25519), {@code kid} header, {@code typ}
 * {@value #TYP}. Claims: {@code iss}, {@code iat}, {@code jti}, {@code exp} (= {@code lease_until}),
 * {@code nonce} (the caller's, echoed), {@code code}, {@code product}, {@code fingerprint} (when given),
 * {@code license_id} (only when the key matched a license), {@code lease_until} (epoch seconds: run offline
 * until then; equals {@code iat} when the answer permits no use). Signed by {@link SigningKeys#sign} (active key,
 * one prepared thread-safe signer).
 */
@Singleton
public class ReceiptSigner {

    public static final String TYP = "validation-receipt+jwt";

    private final SigningKeys keys;
    private final String issuer;

    public ReceiptSigner(SigningKeys keys, ValidatorConfig config) {
        this.keys = keys;
        this.issuer = config.receiptIssuer();
    }

    public String sign(Receipt r) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .issueTime(Date.from(r.issuedAt()))
                .expirationTime(Date.from(r.leaseUntil()))
                .jwtID(new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString())
                .claim("nonce", r.nonce())
                .claim("code", r.code().name())
                .claim("product", r.productCode())
                .claim("lease_until", r.leaseUntil().getEpochSecond());
        if (r.fingerprint() != null) {
            claims.claim("fingerprint", r.fingerprint());
        }
        if (r.licenseId() != null) {
            claims.claim("license_id", r.licenseId());
        }
        return keys.sign(claims.build(), TYP);
    }

    /** What a receipt states. */
    public record Receipt(String nonce, ValidationCode code, String productCode, String fingerprint, String licenseId,
            Instant issuedAt, Instant leaseUntil) {
    }
}
