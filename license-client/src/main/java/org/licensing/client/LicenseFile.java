package org.licensing.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

/**
 * A license file (air-gapped installs) decrypted with the license key when it is a JWE ({@link LicenseFiles#decrypt})
 * and verified against the pinned keys ({@code typ license+jwt}); the claims are read here rather than by
 * {@link LicenseDocument#fromClaims} because {@code lic.limits} may hold decimals (read exactly).
 */
record LicenseFile(String licenseId, String customerId, String productCode, Entitlements entitlements,
        int maxActivations, Instant issuedAt, Instant notBefore, Instant expiresAt, int graceDays) {

    static LicenseFile read(String text, LicenseKey key, Trust trust) throws Untrusted {
        if (text == null || text.isBlank()) {
            throw new Untrusted("license file is empty");
        }
        String s = text.strip();
        String jws = s;
        int dots = (int) s.chars().filter(c -> c == '.').count();
        if (dots == 4) {
            try {
                jws = LicenseFiles.decrypt(s, key);
            } catch (LicenseFileException e) {
                throw new Untrusted("encrypted license file: " + e.reason() + ": " + e.getMessage(), false, e);
            }
        } else if (dots != 2) {
            throw new Untrusted("license file is neither a compact JWS nor a compact JWE");
        }
        Trust.Signed signed = trust.verifyPinned(jws, LicenseFiles.TYP);
        var claims = signed.verified().claims();
        Object lic = signed.payload().get(LicenseDocument.LIC);
        if (!(lic instanceof Map<?, ?> m)) {
            throw new Untrusted("license file has no lic object");
        }
        Instant iat = instant(claims.getIssueTime(), "iat");
        Instant nbf = claims.getNotBeforeTime() == null ? iat : claims.getNotBeforeTime().toInstant();
        Entitlements entitlements = new Entitlements(
                Receipt.booleans(m.get(LicenseDocument.FEATURES), "lic.features"),
                Receipt.decimals(m.get(LicenseDocument.LIMITS), "lic.limits"));
        return new LicenseFile(text(claims.getJWTID(), "jti"), text(claims.getSubject(), "sub"),
                text(m.get(LicenseDocument.PRODUCT), "lic.product"), entitlements,
                count(m.get(LicenseDocument.MAX_ACTIVATIONS), "lic.max_activations"), iat, nbf,
                instant(claims.getExpirationTime(), "exp"),
                count(m.get(LicenseDocument.GRACE_DAYS), "lic.grace_days"));
    }

    /** {@code expiresAt + graceDays}. */
    Instant graceEndsAt() {
        return expiresAt.plus(graceDays, ChronoUnit.DAYS);
    }

    private static Instant instant(Date d, String name) throws Untrusted {
        if (d == null) {
            throw new Untrusted("license file has no " + name);
        }
        return d.toInstant();
    }

    private static String text(Object v, String name) throws Untrusted {
        if (!(v instanceof String s) || s.isBlank()) {
            throw new Untrusted("license file claim " + name + " is missing or not a string");
        }
        return s;
    }

    private static int count(Object v, String name) throws Untrusted {
        if (v == null) {
            return 0;
        }
        if (v instanceof BigDecimal d && d.signum() >= 0 && d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            try {
                return d.intValueExact();
            } catch (ArithmeticException e) {
                // not integral: fall through
            }
        }
        throw new Untrusted("license file claim " + name + " is not a non-negative integer");
    }
}
