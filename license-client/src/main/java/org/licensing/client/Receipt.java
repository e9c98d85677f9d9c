package org.licensing.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.receipt.ValidationReceipt;

/**
 * A validation receipt whose signature a trusted key checked: the claims through license-core's
 * {@link ValidationReceipt#fromClaims}, and the signed {@code entitlements} claim read with exact decimals.
 *
 * @param compact the JWS as received (what the cache stores)
 * @param keysVersion {@link Trust#keysVersion} of the keys it was verified with
 */
record Receipt(String compact, ValidationReceipt facts, Entitlements entitlements, String kid, long keysVersion) {

    /** Name of the signed claim with the license's features and limits. */
    static final String ENTITLEMENTS = "entitlements";

    private static final Set<String> VALIDATOR_CODES = Set.of("VALID", "EXPIRED", "NOT_FOUND", "SUSPENDED", "REVOKED",
            "NOT_YET_VALID", "TOO_MANY_ACTIVATIONS", "FINGERPRINT_MISMATCH", "PRODUCT_MISMATCH", "LIMIT_EXCEEDED");

    static Receipt verify(String compact, Trust trust, Instant now) throws Untrusted {
        long keysVersion = trust.keysVersion(now); // before: keys that change meanwhile mean verifying again
        JwsVerifier.Verified signed = trust.verifyReceipt(compact, ValidationReceipt.TYP, now);
        ValidationReceipt facts;
        Entitlements entitlements;
        try {
            facts = ValidationReceipt.fromClaims(signed.claims());
            entitlements = Entitlements.fromSigned(signed.payload().get(ENTITLEMENTS), ENTITLEMENTS);
        } catch (IllegalArgumentException e) {
            throw new Untrusted("receipt claims are invalid: " + e.getMessage(), false, e);
        }
        if (facts.leaseUntil().isBefore(facts.issuedAt())) {
            throw new Untrusted("receipt lease_until is before its iat");
        }
        return new Receipt(compact.strip(), facts, entitlements, signed.kid(), keysVersion);
    }

    Instant issuedAt() {
        return facts.issuedAt();
    }

    /** The client's code for the validator's signed one (EXPIRED with a lease left is EXPIRED_IN_GRACE). */
    LicenseCode code() {
        String c = facts.code();
        if (!VALIDATOR_CODES.contains(c)) {
            return LicenseCode.UNRECOGNIZED;
        }
        if (c.equals("EXPIRED")) {
            return facts.leaseUntil().isAfter(issuedAt()) ? LicenseCode.EXPIRED_IN_GRACE : LicenseCode.EXPIRED;
        }
        return LicenseCode.valueOf(c);
    }

    /** Why this receipt is not one for this product, machine and license, or null when it is. */
    String bindingProblem(String productCode, String fingerprint, String licenseId) {
        if (!productCode.equals(facts.productCode())) {
            return "is for another product (" + facts.productCode() + ")";
        }
        if (!Objects.equals(fingerprint, facts.fingerprint())) {
            return "is for another machine (fingerprint " + facts.fingerprint() + ")";
        }
        String id = facts.licenseId();
        if (id != null && !id.equalsIgnoreCase(licenseId)) {
            return "is for another license (" + id + ")";
        }
        if (id == null && ("VALID".equals(facts.code()) || "EXPIRED".equals(facts.code()))) {
            return "grants use but names no license";
        }
        return null;
    }

    /** The answer this receipt gives, with {@code code} (see {@link #code()}); the lease only when usable. */
    LicenseAnswer answer(LicenseCode code, LicenseAnswer.Source source, String detail, String limit) {
        if (code == LicenseCode.UNRECOGNIZED) {
            detail = "The validator answered code " + facts.code() + ", unknown to this client version: " + detail;
        }
        return new LicenseAnswer(code, detail, source, facts.licenseId(), entitlements, issuedAt(),
                code.usable() ? facts.leaseUntil() : null, null, limit);
    }

    static LicenseAnswer invalid(LicenseAnswer.Source source, String detail) {
        return new LicenseAnswer(LicenseCode.INVALID_RECEIPT, detail, source, null, null, null, null, null, null);
    }
}
