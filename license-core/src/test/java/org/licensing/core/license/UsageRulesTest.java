package org.licensing.core.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The usage rules the SDK and the validator share. */
class UsageRulesTest {

    static Map<String, BigDecimal> one(String name, String value) {
        return Map.of(name, new BigDecimal(value));
    }

    @Test
    void boundsAtTheirEdges() {
        assertEquals(Map.of(), UsageRules.check(null));
        assertEquals(List.of("a", "b"), List.copyOf(UsageRules.check(Map.of("b", BigDecimal.ONE, "a", BigDecimal.ONE))
                .keySet()), "sorted");
        UsageRules.check(one("cuda.shares", "0.000001"));
        UsageRules.check(one("cuda.shares", "2.5000000")); // trailing zeros are not decimal places
        UsageRules.check(one("mem", "1000000000000000000"));
        assertMessage("usage.cuda.shares must be at most", one("cuda.shares", "0.0000001"));
        assertMessage("usage.mem must be at most", one("mem", "1000000000000000000.000001"));
        assertMessage("usage.cpu must be a non-negative number.", one("cpu", "-1"));
        assertMessage("usage names must be 1-64", one("x".repeat(65), "1"));
        assertMessage("usage names must be 1-64", one("gpü", "1"));
        Map<String, BigDecimal> many = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("r" + i, BigDecimal.ONE);
        }
        assertMessage("usage has more than 32 entries.", many);
        many.remove("r0");
        assertEquals(32, UsageRules.check(many).size());
    }

    @Test
    void theFirstLimitExceededInNameOrder() {
        Map<String, BigDecimal> limits = Map.of("a", new BigDecimal("2.5"), "b", BigDecimal.ONE);
        assertEquals(Optional.empty(), UsageRules.firstExceeded(limits, Map.of("a", new BigDecimal("2.50"),
                "z", BigDecimal.TEN)));
        assertEquals(Optional.of("a"), UsageRules.firstExceeded(limits, Map.of("b", BigDecimal.TEN,
                "a", new BigDecimal("2.500001"))));
    }

    private static void assertMessage(String part, Map<String, BigDecimal> usage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsageRules.check(usage));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
