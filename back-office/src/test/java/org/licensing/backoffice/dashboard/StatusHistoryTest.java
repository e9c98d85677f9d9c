package org.licensing.backoffice.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


class StatusHistoryTest {

    private static Map<String, Long> counts(long active, long suspended, long revoked) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ACTIVE", active);
        m.put("SUSPENDED", suspended);
        m.put("REVOKED", revoked);
        return m;
    }

    @Test
    void everyMonthEndIsABarAndATableRowWithTheSameFigures() {
        StatusHistory h = StatusHistory.of(new LicenseStatusHistory(null, List.of(
                new LicenseStatusHistory.Point("2026-10", "2026-10-31T23:59:59Z", counts(3, 0, 0)),
                new LicenseStatusHistory.Point("2026-11", "2026-11-30T23:59:59Z", counts(4, 1, 0)),
                new LicenseStatusHistory.Point("2026-12", "2026-12-08T05:00:00Z", counts(4, 0, 2)))));
        assertEquals(List.of("ACTIVE", "SUSPENDED", "REVOKED"), h.statuses());
        assertEquals(List.of(3L, 5L, 6L), h.rows().stream().map(StatusHistory.Row::total).toList());
        assertEquals(Map.of("ACTIVE", 4L, "SUSPENDED", 1L, "REVOKED", 0L), StatusHistory.byStatus(h, h.rows().get(1)));
        assertTrue(h.title().contains("the last 2 months and now"), h.title());
        String svg = new String(Base64.getDecoder().decode(h.chart().substring(h.chart().indexOf(',') + 1)),
                StandardCharsets.UTF_8);
        assertTrue(svg.contains("Nov 26, SUSPENDED: 1"), svg); // each bar part names its month, status and count
        assertTrue(svg.contains("Dec 26, REVOKED: 2"), svg);
        assertTrue(!svg.contains("Oct 26, SUSPENDED"), "a zero draws no bar part");
    }

    @Test
    void monthLabelsAreShort() {
        assertEquals("Jan 27", StatusHistory.label("2027-01"));
        assertEquals("Dec 26", StatusHistory.label("2026-12"));
        assertEquals("soon", StatusHistory.label("soon"));
    }
}
