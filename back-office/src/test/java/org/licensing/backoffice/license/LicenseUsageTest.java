package org.licensing.backoffice.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class LicenseUsageTest {

    @Test
    void eachQuantityIsAChartAgainstItsLimitAndATableOfTheSameDays() throws Exception {
        String json = """
                {"licenseId":"l1","from":"2026-12-01","to":"2026-12-02","quantities":[
                 {"quantity":"cuda.shares","limit":"8","quantitySeconds":"475200",
                  "days":[{"day":"2026-12-01","quantitySeconds":"302400","averageInUse":"3.5"},
                          {"day":"2026-12-02","quantitySeconds":"172800","averageInUse":"2"}]},
                 {"quantity":"mem","limit":"2199023255552","quantitySeconds":"0",
                  "days":[{"day":"2026-12-01","quantitySeconds":"0","averageInUse":"1099511627776"}]}]}""";
        List<LicenseUsage.Quantity> usage = LicenseUsage.of(new ObjectMapper().readTree(json));
        assertEquals(2, usage.size());
        LicenseUsage.Quantity shares = usage.get(0);
        assertEquals("cuda.shares", shares.name());
        assertEquals("8", shares.limit());
        assertEquals(List.of(Map.of("day", "2026-12-01", "averageInUse", "3.5", "quantitySeconds", "302400"),
                Map.of("day", "2026-12-02", "averageInUse", "2", "quantitySeconds", "172800")), shares.days());
        String svg = svg(shares.chart());
        assertTrue(svg.contains(">Entitled: 8</text>"), svg);
        assertTrue(svg.contains("<title>01, average in use: 3.5</title>"), svg);
        assertTrue(shares.chartTitle().contains("2026-12-01 to 2026-12-02"), shares.chartTitle());
        LicenseUsage.Quantity mem = usage.get(1);
        assertEquals("2 TiB", mem.limit());
        assertEquals("1 TiB", mem.days().get(0).get("averageInUse"));
    }

    @Test
    void aQuantityWithoutALimitHasNoLine() throws Exception {
        String json = """
                {"from":"2026-12-01","to":"2026-12-01","quantities":[{"quantity":"nodes","limit":null,
                 "quantitySeconds":"86400",
                 "days":[{"day":"2026-12-01","quantitySeconds":"86400","averageInUse":"1"}]}]}""";
        LicenseUsage.Quantity nodes = LicenseUsage.of(new ObjectMapper().readTree(json)).get(0);
        assertEquals("", nodes.limit());
        assertTrue(!svg(nodes.chart()).contains("stroke-dasharray"));
    }

    private static String svg(String dataUri) {
        return new String(Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)),
                StandardCharsets.UTF_8);
    }
}
