package org.licensing.core.document;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.licensing.core.license.Entitlements;

/**
 * What a license file says: the signed content of an offline license. Instants are whole seconds (JWT NumericDate);
 * the constructor truncates. Feature and limit maps are sorted and unmodifiable.
 *
 * <h2>JWT claims</h2>
 * <table>
 *   <caption>Claims of a license file ({@code typ: license+jwt})</caption>
 *   <tr><th>Claim</th><th>Type</th><th>Field</th></tr>
 *   <tr><td>{@code iss}</td><td>string</td><td>issuer URL/name (configured by the issuer service)</td></tr>
 *   <tr><td>{@code jti}</td><td>string</td><td>{@code licenseId}</td></tr>
 *   <tr><td>{@code sub}</td><td>string</td><td>{@code customerId}</td></tr>
 *   <tr><td>{@code iat}</td><td>number (s)</td><td>{@code issuedAt}</td></tr>
 *   <tr><td>{@code nbf}</td><td>number (s)</td><td>{@code notBefore}</td></tr>
 *   <tr><td>{@code exp}</td><td>number (s)</td><td>{@code expiresAt} (grace runs after it)</td></tr>
 *   <tr><td>{@code lic.product}</td><td>string</td><td>{@code productCode}</td></tr>
 *   <tr><td>{@code lic.customer_name}</td><td>string, optional</td><td>{@code customerName}</td></tr>
 *   <tr><td>{@code lic.features}</td><td>object of booleans</td><td>{@code features}</td></tr>
 *   <tr><td>{@code lic.limits}</td><td>object of numbers (exact decimals)</td><td>{@code limits} (e.g.
 *   {@code cuda.device}, {@code cuda.shares}, {@code nodes})</td></tr>
 *   <tr><td>{@code lic.max_activations}</td><td>integer</td><td>{@code maxActivations} (0 = unlimited)</td></tr>
 *   <tr><td>{@code lic.grace_days}</td><td>integer</td><td>{@code graceDays}</td></tr>
 * </table>
 */
public record LicenseDocument(
        String licenseId,
        String customerId,
        String customerName,
        String productCode,
        Map<String, Boolean> features,
        Map<String, BigDecimal> limits,
        int maxActivations,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        int graceDays) {

    /** Name of the custom claim holding the license details. */
    public static final String LIC = "lic";
    public static final String PRODUCT = "product";
    public static final String CUSTOMER_NAME = "customer_name";
    public static final String FEATURES = "features";
    public static final String LIMITS = "limits";
    public static final String MAX_ACTIVATIONS = "max_activations";
    public static final String GRACE_DAYS = "grace_days";

    public LicenseDocument {
        requireText(licenseId, "licenseId");
        requireText(customerId, "customerId");
        requireText(productCode, "productCode");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (maxActivations < 0) {
            throw new IllegalArgumentException("maxActivations must be >= 0");
        }
        if (graceDays < 0) {
            throw new IllegalArgumentException("graceDays must be >= 0");
        }
        Entitlements granted = new Entitlements(features, limits); // the same rules and canonical form as a license
        features = granted.features();
        limits = granted.limits();
        issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** End of the grace period: {@code expiresAt + graceDays * 24h}. */
    public Instant graceEndsAt() {
        return expiresAt.plus(graceDays, ChronoUnit.DAYS);
    }

    /** The JWT claims (see the class table) with {@code iss} = {@code issuer} (omitted when null). */
    public JWTClaimsSet toClaims(String issuer) {
        Map<String, Object> lic = new LinkedHashMap<>();
        lic.put(PRODUCT, productCode);
        if (customerName != null) {
            lic.put(CUSTOMER_NAME, customerName);
        }
        lic.put(FEATURES, new LinkedHashMap<>(features));
        lic.put(LIMITS, new LinkedHashMap<>(limits));
        lic.put(MAX_ACTIVATIONS, (long) maxActivations);
        lic.put(GRACE_DAYS, (long) graceDays);
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .jwtID(licenseId)
                .subject(customerId)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(expiresAt))
                .claim(LIC, lic)
                .build();
    }

    /**
     * The document in {@code claims}.
     *
     * @throws IllegalArgumentException when a required claim is missing or has the wrong type
     */
    public static LicenseDocument fromClaims(JWTClaimsSet claims) {
        Objects.requireNonNull(claims, "claims");
        return fromPayload(claims.toJSONObject());
    }

    /**
     * The document in a signed payload: the one parser of license claims, for a verified JWS's
     * {@link org.licensing.core.crypto.JwsVerifier.Verified#payload() payload} (numbers as exact decimals) or any
     * JSON object whose numbers are {@code Long}s or {@code Double}s. Times are whole epoch seconds.
     *
     * @throws IllegalArgumentException when a required claim is missing or has the wrong type
     */
    public static LicenseDocument fromPayload(Map<String, Object> payload) {
        Objects.requireNonNull(payload, "payload");
        if (!(payload.get(LIC) instanceof Map<?, ?> lic)) {
            throw new IllegalArgumentException("Claim \"lic\" is missing or not an object");
        }
        return new LicenseDocument(
                required(optionalString(payload.get("jti"), "jti"), "jti"),
                required(optionalString(payload.get("sub"), "sub"), "sub"),
                optionalString(lic.get(CUSTOMER_NAME), "lic.customer_name"),
                required(optionalString(lic.get(PRODUCT), "lic.product"), "lic.product"),
                Entitlements.parseFeatures(lic.get(FEATURES), "lic.features"),
                Entitlements.parseLimits(lic.get(LIMITS), "lic.limits"),
                toInt(lic.get(MAX_ACTIVATIONS), "lic.max_activations", 0),
                epochSeconds(payload.get("iat"), "iat"),
                epochSeconds(payload.get("nbf"), "nbf"),
                epochSeconds(payload.get("exp"), "exp"),
                toInt(lic.get(GRACE_DAYS), "lic.grace_days", 0));
    }

    /** A required NumericDate claim (whole seconds since the epoch). */
    public static Instant epochSeconds(Object v, String name) {
        return Instant.ofEpochSecond(toLong(required(v, name), name));
    }

    private static <T> T required(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException("Claim \"" + name + "\" is missing");
        }
        return v;
    }

    private static void requireText(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static String optionalString(Object v, String name) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException("Claim \"" + name + "\" must be a string");
    }

    private static long toLong(Object v, String name) {
        try {
            return Entitlements.decimal(v, name).longValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Claim \"" + name + "\" must be an integer");
        }
    }

    private static int toInt(Object v, String name, int dflt) {
        if (v == null) {
            return dflt;
        }
        long l = toLong(v, name);
        if (l < 0 || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Claim \"" + name + "\" is out of range");
        }
        return (int) l;
    }
}
