package org.licensing.core.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EntitlementsTest {

    private static Entitlements limits(String name, String value) {
        return new Entitlements(Map.of(), Map.of(name, new BigDecimal(value)));
    }

    @Test
    void limitsAreExactDecimalsInTheirShortestForm() {
        Entitlements e = new Entitlements(Map.of("mig", true), Map.of("cuda.shares", new BigDecimal("2.50"),
                "cuda.device", new BigDecimal("8.000"), "mem", new BigDecimal("1E+12")));
        assertEquals("2.5", e.limit("cuda.shares").orElseThrow().toString());
        assertEquals("8", e.limit("cuda.device").orElseThrow().toString());
        assertEquals("1000000000000", e.limit("mem").orElseThrow().toString());
        assertTrue(e.limit("nodes").isEmpty());
        assertEquals(e, Entitlements.ofWholeLimits(Map.of("mig", true), Map.of("cuda.device", 8L, "mem",
                1_000_000_000_000L)).overriddenBy(limits("cuda.shares", "2.5")));
    }

    @Test
    void negativeTooLargeOrTooPreciseLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> limits("cpu", "-1"));
        assertThrows(IllegalArgumentException.class, () -> limits("mem", "9223372036854775808"));
        assertThrows(IllegalArgumentException.class, () -> limits("cuda.shares", "0.0000001"));
        assertThrows(IllegalArgumentException.class, () -> limits("cuda.shares", "1234567890.123456"));
        assertEquals(new BigDecimal("9223372036854775807"), limits("mem", "9223372036854775807").limits().get("mem"));
        assertEquals(new BigDecimal("123456789.123456"), limits("x", "123456789.123456").limits().get("x"));
    }

    @Test
    void theClaimShapeRoundTripsThroughDoublesExactly() {
        Entitlements e = new Entitlements(Map.of("mig", true), Map.of("cuda.shares", new BigDecimal("16.5"),
                "x", new BigDecimal("123456789.123456"), "nodes", new BigDecimal("4")));
        Map<String, Object> parsed = Map.of("features", Map.of("mig", true), "limits", Map.of("cuda.shares", 16.5,
                "x", 123456789.123456, "nodes", 4L));
        assertEquals(e, Entitlements.fromClaim(parsed, "entitlements"));
        assertEquals(e, Entitlements.fromClaim(e.toClaim(), "entitlements"));
        assertThrows(IllegalArgumentException.class, () -> Entitlements.fromClaim(Map.of("limits", Map.of("a", "1")),
                "entitlements"));
    }
}
