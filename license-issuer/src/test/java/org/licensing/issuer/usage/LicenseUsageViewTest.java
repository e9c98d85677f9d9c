package org.licensing.issuer.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.usage.UsageStore.DailyFigure;

/** The per-day view's arithmetic, as a plain unit test: exact sums, averages, limits beside. */
class LicenseUsageViewTest {

    private static final LocalDate D1 = LocalDate.parse("2026-12-06");
    private static final LocalDate D2 = LocalDate.parse("2026-12-07");

    @Test
    void daysAreSummedExactlyAndShownBesideTheLimit() {
        // Two reports share D1 (the relay's report boundary fell at noon): their figures add up exactly.
        List<DailyFigure> figures = List.of(new DailyFigure(D2, "cuda.shares", new BigDecimal("0.1")),
                new DailyFigure(D1, "cuda.device", new BigDecimal("288000")),
                new DailyFigure(D1, "cuda.device", new BigDecimal("288000.000001")),
                new DailyFigure(D2, "cuda.shares", new BigDecimal("0.2")));
        LicenseUsageView v = LicenseUsageView.of("L", D1, D2, figures, Map.of("cuda.device", new BigDecimal("8"),
                "nodes", new BigDecimal("4")));

        assertEquals(List.of("cuda.device", "cuda.shares", "nodes"),
                v.quantities().stream().map(LicenseUsageView.QuantityUsage::quantity).toList());
        LicenseUsageView.QuantityUsage gpus = v.quantities().get(0);
        assertEquals("8", gpus.limit());
        assertEquals("576000.000001", gpus.quantitySeconds());
        assertEquals(List.of(new LicenseUsageView.DayUsage(D1, "576000.000001", "6.666667")), gpus.days());

        LicenseUsageView.QuantityUsage shares = v.quantities().get(1);
        assertEquals(null, shares.limit());
        assertEquals("0.3", shares.quantitySeconds(), "0.1 + 0.2 is 0.3, never 0.30000000000000004");
        assertEquals("0.000003", shares.days().get(0).averageInUse());

        LicenseUsageView.QuantityUsage nodes = v.quantities().get(2);
        assertEquals("0", nodes.quantitySeconds());
        assertEquals(List.of(), nodes.days());
    }
}
