package org.licensing.core.search;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.core.license.LicenseStatus;

class LicenseFiltersTest {

    private static final String POLICY = "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f";

    @Test
    void everyFilterIsParsedAndGivenBackInTheQueryForm() {
        LicenseFilters f = LicenseFilters.parse(Map.of(
                "q", List.of(" Acme "),
                "status", List.of("suspended", "ACTIVE", "active"),
                "productCode", List.of("gpu-cluster"),
                "policyId", List.of(POLICY),
                "expiresBefore", List.of("2027-01-01T00:00:00Z"),
                "minLimit", List.of("cuda.shares:2.50", "cuda.device:8")));
        assertEquals("Acme", f.q());
        assertEquals(List.of(LicenseStatus.ACTIVE, LicenseStatus.SUSPENDED), f.statuses(), "deduplicated, sorted");
        assertEquals(UUID.fromString(POLICY), f.policyId());
        assertNull(f.customerId());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), f.expiresBefore());
        assertEquals(List.of(new LicenseFilters.MinLimit("cuda.device", new BigDecimal("8")),
                new LicenseFilters.MinLimit("cuda.shares", new BigDecimal("2.5"))), f.minLimits());

        Map<String, List<String>> query = f.toQuery();
        assertEquals(List.of("q", "status", "productCode", "policyId", "expiresBefore", "minLimit"),
                List.copyOf(query.keySet()), "absent filters are left out");
        assertEquals(List.of("ACTIVE", "SUSPENDED"), query.get("status"));
        assertEquals(List.of("cuda.device:8", "cuda.shares:2.5"), query.get("minLimit"));
        assertEquals(f, LicenseFilters.parse(query), "the query form parses back to the same filters");
        assertEquals(Map.of(), LicenseFilters.NONE.toQuery());
        assertEquals(LicenseFilters.NONE, LicenseFilters.parse(Map.of("q", List.of("  "))), "blank is absent");
    }

    @Test
    void aBadValueNamesItsParameter() {
        assertRefused("status", Map.of("status", List.of("EXPIRED")));
        assertRefused("productCode", Map.of("productCode", List.of("GPU_Cluster")));
        assertRefused("policyId", Map.of("policyId", List.of("P1")));
        assertRefused("customerId", Map.of("customerId", List.of(POLICY + "0")));
        assertRefused("issuedAfter", Map.of("issuedAfter", List.of("2027-01-01")));
        assertRefused("q", Map.of("q", List.of("x".repeat(LicenseFilters.MAX_Q + 1))));
        assertRefused("q", Map.of("q", List.of("a", "b")));
        assertRefused("minLimit", Map.of("minLimit", List.of("cuda.device")));
        assertRefused("minLimit", Map.of("minLimit", List.of(":8")));
        assertRefused("minLimit", Map.of("minLimit", List.of("9gpu:8")));
        assertRefused("minLimit", Map.of("minLimit", List.of("cuda.device:eight")));
        assertRefused("minLimit", Map.of("minLimit", List.of("cuda.device:1e30")));
        assertRefused("minLimit", Map.of("minLimit", java.util.stream.IntStream.rangeClosed(0,
                LicenseFilters.MAX_MIN_LIMITS).mapToObj(i -> "l" + i + ":1").toList()));
    }

    private static void assertRefused(String parameter, Map<String, List<String>> query) {
        InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> LicenseFilters.parse(query));
        assertEquals(parameter, e.parameter());
        assertTrue(e.getMessage().startsWith(parameter + ": "), e.getMessage());
    }
}
