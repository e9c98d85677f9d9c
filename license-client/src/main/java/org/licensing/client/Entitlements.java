package org.licensing.client;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.licensing.core.license.UsageRules;

/**
 * What a license grants, as signed by the vendor: on/off features and limits as exact decimals, named after the
 * product's resources ({@code cuda.device}, {@code cuda.shares}, {@code rocm.device}, {@code cpu}, {@code mem} in
 * bytes, {@code nodes}...). Limits are never doubles: {@code cuda.shares} 2.5 is exactly 2.5. Maps are sorted and
 * unmodifiable.
 *
 * <p>Read only from signed content: the {@code entitlements} claim of a verified receipt, or {@code lic.features}
 * and {@code lic.limits} of a verified license file. A limit that is absent means the license sets no limit on
 * that name.
 */
public record Entitlements(Map<String, Boolean> features, Map<String, BigDecimal> limits) {

    /** Nothing granted or limited (an answer without signed entitlements). */
    public static final Entitlements NONE = new Entitlements(Map.of(), Map.of());

    public Entitlements {
        features = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(features, Map.of())));
        limits = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(limits, Map.of())));
        features.forEach((k, v) -> Objects.requireNonNull(v, "feature " + k));
        limits.forEach((k, v) -> {
            Objects.requireNonNull(v, "limit " + k);
            if (v.signum() < 0) {
                throw new IllegalArgumentException("limit " + k + " is negative");
            }
        });
    }

    /** Whether feature {@code name} is granted ({@code false} when absent). */
    public boolean feature(String name) {
        return Boolean.TRUE.equals(features.get(name));
    }

    /** The exact limit {@code name}, or empty when the license sets none. */
    public Optional<BigDecimal> limit(String name) {
        return Optional.ofNullable(limits.get(name));
    }

    /**
     * The entitlements of a signed {@code {"features": {...}, "limits": {...}}} claim as license-core parses it
     * (limits exactly as signed); absent is {@link #NONE}.
     *
     * @throws IllegalArgumentException when it has another shape or a negative limit
     */
    static Entitlements fromSigned(Object claim, String name) {
        if (claim == null) {
            return NONE;
        }
        if (!(claim instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("Claim \"" + name + "\" must be an object");
        }
        return new Entitlements(org.licensing.core.license.Entitlements.parseFeatures(m.get("features"),
                name + ".features"), org.licensing.core.license.Entitlements.parseLimits(m.get("limits"),
                name + ".limits"));
    }

    /** The first limit (in name order) that {@code usage} exceeds, as the validator compares. */
    Optional<String> exceeded(Map<String, BigDecimal> usage) {
        return UsageRules.firstExceeded(limits, usage);
    }
}
