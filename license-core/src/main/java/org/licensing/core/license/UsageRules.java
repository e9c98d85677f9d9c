package org.licensing.core.license;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a product may report as usage, the same for the SDK (before it sends) and the validator (before any lookup):
 * at most {@value #MAX_ENTRIES} entries, names of 1-{@value #MAX_NAME} printable ASCII characters, values exact
 * non-negative decimals up to 10^18 with at most {@value #MAX_DECIMALS} decimal places (fractional GPUs).
 */
public final class UsageRules {

    public static final int MAX_ENTRIES = 32;
    public static final int MAX_NAME = 64;
    public static final int MAX_DECIMALS = 6;
    public static final BigDecimal MAX_VALUE = BigDecimal.TEN.pow(18);

    private UsageRules() {
    }

    /**
     * The usage, checked, as a sorted unmodifiable map; null or empty is no usage.
     *
     * @throws IllegalArgumentException naming the first entry that breaks a rule (its message suits a 400 detail)
     */
    public static Map<String, BigDecimal> check(Map<String, BigDecimal> usage) {
        if (usage == null || usage.isEmpty()) {
            return Map.of();
        }
        if (usage.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("usage has more than " + MAX_ENTRIES + " entries.");
        }
        Map<String, BigDecimal> out = new TreeMap<>();
        usage.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.length() > MAX_NAME || !printable(name)) {
                throw new IllegalArgumentException("usage names must be 1-" + MAX_NAME
                        + " printable ASCII characters.");
            }
            if (value == null || value.signum() < 0) {
                throw new IllegalArgumentException("usage." + name + " must be a non-negative number.");
            }
            BigDecimal v = value.stripTrailingZeros();
            if (v.scale() > MAX_DECIMALS || v.compareTo(MAX_VALUE) > 0) {
                throw new IllegalArgumentException("usage." + name + " must be at most " + MAX_VALUE.toPlainString()
                        + " with at most " + MAX_DECIMALS + " decimal places.");
            }
            out.put(name, value);
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The first limit (in name order) that {@code usage} exceeds, compared exactly ({@link BigDecimal#compareTo});
     * usage names without a limit are not limited.
     */
    public static Optional<String> firstExceeded(Map<String, BigDecimal> limits, Map<String, BigDecimal> usage) {
        for (Map.Entry<String, BigDecimal> used : new TreeMap<>(usage).entrySet()) {
            BigDecimal limit = limits.get(used.getKey());
            if (limit != null && used.getValue().compareTo(limit) > 0) {
                return Optional.of(used.getKey());
            }
        }
        return Optional.empty();
    }

    /** Whether every character is printable ASCII (0x20-0x7e). */
    public static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
