package org.licensing.backoffice.finance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateData;

import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.chart.BarChart;

/**
 * Renewals by month for the next 12 months, per product: the issuer's stats (non-revoked licenses, by product) of
 * each calendar month in UTC, the current one from now on. Twelve small stats queries, however many licenses.
 */
public final class Renewals {

    static final int MONTHS = 12;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM uuuu", Locale.ENGLISH);

    /** One month: its label and the count per product code. */
    @TemplateData
    public record Month(String label, String from, String to, Map<String, Long> byProduct, long total) {
        public long count(String product) {
            return byProduct.getOrDefault(product, 0L);
        }
    }

    /** The months, the product codes (columns) and the chart as a data: URI. */
    @TemplateData
    public record View(List<Month> months, List<String> products, String chart, String chartTitle) {
    }

    private Renewals() {
    }

    public static View of(Apis apis, Instant now) {
        List<Month> months = new ArrayList<>();
        YearMonth month = YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC));
        for (int i = 0; i < MONTHS; i++, month = month.plusMonths(1)) {
            Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant from = i == 0 ? now : start;
            Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            JsonNode stats = apis.issuerGet("/v1/licenses/stats" + new Query().add("status", "ACTIVE")
                    .add("status", "SUSPENDED").add("expiresAfter", from).add("expiresBefore", to));
            Map<String, Long> byProduct = new TreeMap<>();
            stats.path("byProduct").fields().forEachRemaining(e -> byProduct.put(e.getKey(), e.getValue().asLong()));
            months.add(new Month(MONTH.format(month), from.toString(), to.toString(), byProduct,
                    byProduct.values().stream().mapToLong(Long::longValue).sum()));
        }
        return view(months);
    }

    static View view(List<Month> months) {
        TreeSet<String> products = new TreeSet<>();
        months.forEach(m -> products.addAll(m.byProduct().keySet()));
        List<BarChart.Series> series = new ArrayList<>();
        for (String p : products) {
            List<BigDecimal> values = new ArrayList<>();
            months.forEach(m -> values.add(BigDecimal.valueOf(m.byProduct().getOrDefault(p, 0L))));
            series.add(new BarChart.Series(p, values));
        }
        String title = "Licenses up for renewal by month, next " + MONTHS + " months, by product";
        String svg = BarChart.svg(title, months.stream().map(m -> m.label().substring(0, 3) + " "
                + m.label().substring(m.label().length() - 2)).toList(), series, null, null);
        return new View(months, List.copyOf(products), BarChart.dataUri(svg), title);
    }
}
