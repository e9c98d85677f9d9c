package org.licensing.backoffice.license;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateData;

import org.licensing.backoffice.chart.BarChart;
import org.licensing.backoffice.format.Readable;

/**
 * A license's reported usage against its entitlement (from the issuer's {@code /usage}: per quantity and UTC day
 * the average in use): one bar chart per quantity with the limit drawn across, and the same figures as a table.
 */
final class LicenseUsage {

    /** One quantity: its limit, its chart and its days (day, average in use, quantity-seconds). */
    @TemplateData
    record Quantity(String name, String limit, String chart, String chartTitle, List<Map<String, String>> days) {
    }

    private LicenseUsage() {
    }

    static List<Quantity> of(JsonNode usage) {
        List<Quantity> out = new ArrayList<>();
        for (JsonNode q : usage.path("quantities")) {
            String name = q.path("quantity").asText();
            String limitText = q.path("limit").isNull() ? "" : q.path("limit").asText("");
            BigDecimal limit = limitText.isEmpty() ? null : new BigDecimal(limitText);
            List<String> labels = new ArrayList<>();
            List<BigDecimal> values = new ArrayList<>();
            List<Map<String, String>> days = new ArrayList<>();
            for (JsonNode d : q.path("days")) {
                String day = d.path("day").asText();
                labels.add(day.length() >= 10 ? day.substring(8, 10) : day);
                BigDecimal avg = new BigDecimal(d.path("averageInUse").asText("0"));
                values.add(avg);
                Map<String, String> row = new HashMap<>();
                row.put("day", day);
                row.put("averageInUse", Readable.limit(name, avg));
                row.put("quantitySeconds", d.path("quantitySeconds").asText(""));
                days.add(row);
            }
            String title = name + ": average in use per day (UTC), " + usage.path("from").asText() + " to "
                    + usage.path("to").asText() + (limit == null ? "" : ", entitled " + Readable.limit(name, limit));
            String svg = BarChart.svg(title, labels, List.of(new BarChart.Series("average in use", values)), limit,
                    "Entitled");
            out.add(new Quantity(name, limitText.isEmpty() ? "" : Readable.limit(name, limit), BarChart.dataUri(svg),
                    title, days));
        }
        return out;
    }
}
