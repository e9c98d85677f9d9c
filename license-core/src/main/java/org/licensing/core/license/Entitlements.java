package org.licensing.core.license;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a license grants: on/off features and typed numeric limits named like the product's own resources (for a
 * GPU-cluster product {@code cuda.device}, {@code cuda.shares}, {@code rocm.device}, {@code cpu}, {@code mem} in
 * bytes, {@code nodes}). Limits are exact decimals ({@code cuda.shares} 2.5: fractional GPUs), compared with
 * {@link BigDecimal#compareTo}, never as doubles. Names are case-sensitive; maps are sorted so documents and items
 * are deterministic.
 *
 * <p>A limit is non-negative. A whole number may be as large as a {@code long}; a fraction has at most
 * {@value #MAX_FRACTION_DIGITS} decimal places and {@value #MAX_FRACTION_PRECISION} significant digits, so it reads
 * back exactly from any JSON parser that keeps doubles (the shortest decimal of a double round-trips 15 digits).
 * Values are kept in their shortest form: {@code 8.0} is {@code 8}, {@code 2.50} is {@code 2.5}.
 */
public record Entitlements(Map<String, Boolean> features, Map<String, BigDecimal> limits) {

    public static final Entitlements NONE = new Entitlements(Map.of(), Map.of());

    public static final int MAX_FRACTION_DIGITS = 6;
    public static final int MAX_FRACTION_PRECISION = 15;
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * @throws IllegalArgumentException when a limit is negative, too large or too precise (see the class comment)
     */
    public Entitlements {
        // Sorted (not Map.copyOf, whose order is unspecified), so documents, items and receipts are deterministic.
        features = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(features, Map.of())));
        features.forEach((name, on) -> Objects.requireNonNull(on, "feature " + name));
        Map<String, BigDecimal> canonical = new TreeMap<>();
        Objects.requireNonNullElse(limits, Map.<String, BigDecimal>of())
                .forEach((name, value) -> canonical.put(name, canonical(name, value)));
        limits = Collections.unmodifiableMap(canonical);
    }

    /** Entitlements with whole-number limits (the form most products use). */
    public static Entitlements ofWholeLimits(Map<String, Boolean> features, Map<String, Long> limits) {
        Map<String, BigDecimal> decimals = new TreeMap<>();
        Objects.requireNonNullElse(limits, Map.<String, Long>of())
                .forEach((name, value) -> decimals.put(name, BigDecimal.valueOf(value)));
        return new Entitlements(features, decimals);
    }

    /** The limit named {@code name}, exactly. */
    public Optional<BigDecimal> limit(String name) {
        return Optional.ofNullable(limits.get(name));
    }

    /** Entries of {@code overrides} replace this one's; everything else is kept. */
    public Entitlements overriddenBy(Entitlements overrides) {
        if (overrides == null) {
            return this;
        }
        var f = new TreeMap<>(features);
        f.putAll(overrides.features());
        var l = new TreeMap<>(limits);
        l.putAll(overrides.limits());
        return new Entitlements(f, l);
    }

    /** The JSON shape signed into receipts: {@code {"features": {...}, "limits": {...}}} (limits as numbers). */
    public Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("features", new LinkedHashMap<>(features));
        claim.put("limits", new LinkedHashMap<>(limits));
        return claim;
    }

    /**
     * The entitlements of a {@link #toClaim()} object as a JSON parser gave it (numbers as Long, Double or
     * BigDecimal).
     *
     * @throws IllegalArgumentException when it has the wrong shape
     */
    public static Entitlements fromClaim(Object claim, String name) {
        if (!(claim instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("Claim \"" + name + "\" must be an object");
        }
        return new Entitlements(parseFeatures(map.get("features"), name + ".features"),
                parseLimits(map.get("limits"), name + ".limits"));
    }

    /** Feature flags of a parsed JSON object. */
    public static Map<String, Boolean> parseFeatures(Object v, String name) {
        Map<String, Boolean> out = new TreeMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("Claim \"" + name + "\" must be an object");
        }
        m.forEach((k, b) -> {
            if (!(b instanceof Boolean bool)) {
                throw new IllegalArgumentException("Claim \"" + name + "." + k + "\" must be a boolean");
            }
            out.put(String.valueOf(k), bool);
        });
        return out;
    }

    /** Limits of a parsed JSON object, as exact decimals. */
    public static Map<String, BigDecimal> parseLimits(Object v, String name) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("Claim \"" + name + "\" must be an object");
        }
        m.forEach((k, n) -> out.put(String.valueOf(k), decimal(n, name + "." + k)));
        return out;
    }

    /** A JSON number as the exact decimal it was written as (a double through its shortest decimal form). */
    public static BigDecimal decimal(Object n, String name) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(((Number) n).longValue());
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if ((n instanceof Double || n instanceof Float) && Double.isFinite(((Number) n).doubleValue())) {
            return new BigDecimal(Double.toString(((Number) n).doubleValue()));
        }
        throw new IllegalArgumentException("Claim \"" + name + "\" must be a number");
    }

    private static BigDecimal canonical(String name, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException("Limit " + name + " has no value");
        }
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() < 0) {
            v = v.setScale(0);
        }
        if (v.signum() < 0) {
            throw new IllegalArgumentException("Limit " + name + " must not be negative, got " + v.toPlainString());
        }
        if (v.scale() == 0) {
            if (v.unscaledValue().compareTo(LONG_MAX) > 0) {
                throw new IllegalArgumentException("Limit " + name + " is too large: " + v.toPlainString());
            }
        } else if (v.scale() > MAX_FRACTION_DIGITS || v.precision() > MAX_FRACTION_PRECISION) {
            throw new IllegalArgumentException("Limit " + name + " allows at most " + MAX_FRACTION_DIGITS
                    + " decimal places and " + MAX_FRACTION_PRECISION + " significant digits, got "
                    + v.toPlainString());
        }
        return v;
    }
}
