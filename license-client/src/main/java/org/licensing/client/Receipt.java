package org.licensing.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

    static Receipt verify(String compact, Trust trust, Instant now) throws Untrusted {
        long keysVersion = trust.keysVersion(now); // before: keys that change meanwhile mean verifying again
        Trust.Signed signed = trust.verifyReceipt(compact, ValidationReceipt.TYP, now);
        ValidationReceipt facts;
        try {
            facts = ValidationReceipt.fromClaims(signed.verified().claims());
        } catch (IllegalArgumentException e) {
            throw new Untrusted("receipt claims are invalid: " + e.getMessage(), false, e);
        }
        if (facts.leaseUntil().isBefore(facts.issuedAt())) {
            throw new Untrusted("receipt lease_until is before its iat");
        }
        Entitlements entitlements = entitlements(signed.payload().get(ENTITLEMENTS), ENTITLEMENTS);
        return new Receipt(compact.strip(), facts, entitlements, signed.verified().kid(), keysVersion);
    }

    Instant issuedAt() {
        return facts.issuedAt();
    }

    /**
     * The {@code features} (booleans) and {@code limits} (non-negative numbers, exact) of a signed entitlements
     * object; absent is {@link Entitlements#NONE}. Other members are ignored (room for later additions).
     */
    static Entitlements entitlements(Object value, String name) throws Untrusted {
        if (value == null) {
            return Entitlements.NONE;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new Untrusted("claim " + name + " is not an object");
        }
        return new Entitlements(booleans(m.get("features"), name + ".features"),
                decimals(m.get("limits"), name + ".limits"));
    }

    static Map<String, Boolean> booleans(Object value, String name) throws Untrusted {
        Map<String, Boolean> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new Untrusted("claim " + name + " is not an object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof Boolean b)) {
                throw new Untrusted("claim " + name + "." + e.getKey() + " is not a boolean");
            }
            out.put(String.valueOf(e.getKey()), b);
        }
        return out;
    }

    static Map<String, BigDecimal> decimals(Object value, String name) throws Untrusted {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new Untrusted("claim " + name + " is not an object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof BigDecimal d) || d.signum() < 0) {
                throw new Untrusted("claim " + name + "." + e.getKey() + " is not a non-negative number");
            }
            out.put(String.valueOf(e.getKey()), d);
        }
        return out;
    }
}
