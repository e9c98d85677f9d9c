package org.licensing.backoffice.dashboard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.licensing.backoffice.chart.BarChart;

/**
 * The dashboard's "licenses by status over the last 12 months": the issuer's status history (counts per status at
 * each month end, from the audit events) as a stacked bar chart, one bar a month, and the same figures as a table.
 */
public record StatusHistory(String chart, String title, List<String> statuses, List<Row> rows) {

    /** One month end (the last point is now): its label, and the count per status in {@link #statuses} order. */
    public record Row(String month, String at, List<Long> counts, long total) {
    }

    static StatusHistory of(LicenseStatusHistory history) {
        Set<String> statuses = new LinkedHashSet<>();
        history.months().forEach(p -> statuses.addAll(p.counts().keySet()));
        List<String> order = new ArrayList<>(statuses);
        List<Row> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (LicenseStatusHistory.Point p : history.months()) {
            List<Long> counts = order.stream().map(s -> p.counts().getOrDefault(s, 0L)).toList();
            rows.add(new Row(p.month(), p.at(), counts, counts.stream().mapToLong(Long::longValue).sum()));
            labels.add(label(p.month()));
        }
        List<BarChart.Series> series = new ArrayList<>();
        for (int s = 0; s < order.size(); s++) {
            int index = s;
            series.add(new BarChart.Series(order.get(s),
                    rows.stream().map(r -> BigDecimal.valueOf(r.counts().get(index))).toList()));
        }
        String title = "Licenses by status at each month end, the last " + Math.max(0, rows.size() - 1)
                + " months and now";
        return new StatusHistory(BarChart.dataUri(BarChart.svg(title, labels, series, null, null)), title,
                List.copyOf(order), List.copyOf(rows));
    }

    /** "2026-03" as "Mar 26": short enough for a bar's label. */
    static String label(String month) {
        String[] names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        try {
            int m = Integer.parseInt(month.substring(5, 7));
            return names[m - 1] + " " + month.substring(2, 4);
        } catch (RuntimeException notAMonth) {
            return month;
        }
    }

    /** For tests and templates: the counts of a row by status name. */
    public static Map<String, Long> byStatus(StatusHistory history, Row row) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < history.statuses().size(); i++) {
            out.put(history.statuses().get(i), row.counts().get(i));
        }
        return out;
    }
}
