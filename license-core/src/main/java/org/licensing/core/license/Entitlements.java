package org.licensing.core.license;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a license grants: on/off features and typed numeric limits (for example {@code gpus}, {@code nodes},
 * {@code cpuCores}, {@code sessions}). Names are case-sensitive; maps are sorted so documents and items are
 * deterministic.
 */
public record Entitlements(Map<String, Boolean> features, Map<String, Long> limits) {

    public static final Entitlements NONE = new Entitlements(Map.of(), Map.of());

    public Entitlements {
        features = Map.copyOf(new TreeMap<>(Objects.requireNonNullElse(features, Map.of())));
        limits = Map.copyOf(new TreeMap<>(Objects.requireNonNullElse(limits, Map.of())));
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
}
