package org.licensing.backoffice.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A bar chart as SVG markup, rendered on the server: no script, nothing the strict CSP forbids (the page shows it
 * as an {@code <img>} of a {@code data:} URI, which {@code img-src 'self' data:} allows and in which SVG runs no
 * script). Series stack per category, in the order given, each with its colour and a legend; an optional reference
 * line (an entitlement's limit) is drawn across. Every text is XML-escaped here. Pages put the same numbers in a
 * table right after the chart, for screen readers and for reading exact values.
 */
public final class BarChart {

    /** One stacked part of every bar: its name (legend) and a value per category (null or missing: 0). */
    public record Series(String name, List<BigDecimal> values) {
    }

    /** Colours with at least 4.5:1 contrast on white, told apart by the legend's order too. */
    static final List<String> COLOURS = List.of("#0b57d0", "#b3261e", "#146c2e", "#8a5a00", "#6b3fa0", "#00696f",
            "#4a5563", "#a0307a");

    private static final int BAR = 28;
    private static final int GAP = 12;
    private static final int LEFT = 48;
    private static final int TOP = 16;
    private static final int PLOT = 160;
    private static final int BOTTOM = 40;
    private static final int LEGEND_LINE = 16;

    private BarChart() {
    }

    /**
     * The SVG document. {@code title} becomes its {@code <title>}; {@code reference} (may be null) a dashed line
     * labelled {@code referenceLabel}.
     */
    public static String svg(String title, List<String> categories, List<Series> series, BigDecimal reference,
            String referenceLabel) {
        int n = categories.size();
        List<BigDecimal> totals = new ArrayList<>();
        BigDecimal max = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            BigDecimal total = BigDecimal.ZERO;
            for (Series s : series) {
                total = total.add(value(s, i));
            }
            totals.add(total);
            max = max.max(total);
        }
        if (reference != null) {
            max = max.max(reference);
        }
        BigDecimal top = niceCeiling(max);
        int width = LEFT + n * (BAR + GAP) + GAP;
        int legendRows = series.size() + (reference != null ? 1 : 0);
        int height = TOP + PLOT + BOTTOM + legendRows * LEGEND_LINE;
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\">");
        out.append("<title>").append(esc(title)).append("</title>");
        int base = TOP + PLOT;
        // axis and three ticks: 0, half, top
        out.append(line(LEFT, TOP, LEFT, base, "#4a5563", false));
        out.append(line(LEFT, base, width - GAP / 2, base, "#4a5563", false));
        for (BigDecimal tick : List.of(BigDecimal.ZERO, top.divide(BigDecimal.valueOf(2)), top)) {
            int y = base - scale(tick, top);
            out.append(text(LEFT - 4, y + 4, "end", plain(tick)));
            if (tick.signum() > 0) {
                out.append(line(LEFT, y, width - GAP / 2, y, "#d0d7de", false));
            }
        }
        for (int i = 0; i < n; i++) {
            int x = LEFT + GAP + i * (BAR + GAP);
            int y = base;
            for (int s = 0; s < series.size(); s++) {
                BigDecimal v = value(series.get(s), i);
                int h = scale(v, top);
                if (h > 0) {
                    y -= h;
                    out.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BAR)
                            .append("\" height=\"").append(h).append("\" fill=\"").append(colour(s)).append("\">")
                            .append("<title>").append(esc(categories.get(i) + ", " + series.get(s).name() + ": "
                                    + plain(v))).append("</title></rect>");
                }
            }
            if (totals.get(i).signum() > 0) {
                out.append(text(x + BAR / 2, y - 3, "middle", plain(totals.get(i))));
            }
            out.append(text(x + BAR / 2, base + 14, "middle", categories.get(i)));
        }
        if (reference != null) {
            int y = base - scale(reference, top);
            out.append(line(LEFT, y, width - GAP / 2, y, "#b3261e", true));
        }
        int ly = base + BOTTOM - 8;
        for (int s = 0; s < series.size(); s++) {
            out.append("<rect x=\"").append(LEFT).append("\" y=\"").append(ly + s * LEGEND_LINE - 9)
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(colour(s)).append("\"/>");
            out.append(text(LEFT + 14, ly + s * LEGEND_LINE, "start", series.get(s).name()));
        }
        if (reference != null) {
            int y = ly + series.size() * LEGEND_LINE;
            out.append(line(LEFT, y - 4, LEFT + 10, y - 4, "#b3261e", true));
            out.append(text(LEFT + 14, y, "start", referenceLabel + ": " + plain(reference)));
        }
        return out.append("</svg>").toString();
    }

    /** The SVG as a {@code data:} URI for an {@code <img src>} (base64: nothing in it needs escaping). */
    public static String dataUri(String svg) {
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }

    /** 1, 2 or 5 times a power of ten at or above {@code max} (at least 1), so ticks read as round numbers. */
    static BigDecimal niceCeiling(BigDecimal max) {
        if (max.signum() <= 0) {
            return BigDecimal.ONE;
        }
        BigDecimal power = BigDecimal.ONE.scaleByPowerOfTen(max.precision() - max.scale() - 1);
        for (int m : new int[] { 1, 2, 5, 10 }) {
            BigDecimal candidate = power.multiply(BigDecimal.valueOf(m));
            if (candidate.compareTo(max) >= 0) {
                return candidate.stripTrailingZeros();
            }
        }
        return power.multiply(BigDecimal.TEN);
    }

    private static int scale(BigDecimal v, BigDecimal top) {
        return v.multiply(BigDecimal.valueOf(PLOT)).divide(top, 0, RoundingMode.HALF_UP).intValue();
    }

    private static BigDecimal value(Series s, int i) {
        BigDecimal v = i < s.values().size() ? s.values().get(i) : null;
        return v == null || v.signum() < 0 ? BigDecimal.ZERO : v;
    }

    private static String colour(int s) {
        return COLOURS.get(s % COLOURS.size());
    }

    private static String line(int x1, int y1, int x2, int y2, String colour, boolean dashed) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + colour
                + "\"" + (dashed ? " stroke-width=\"2\" stroke-dasharray=\"6 3\"" : "") + "/>";
    }

    private static String text(int x, int y, String anchor, String text) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" fill=\"#1b1f24\">" + esc(text)
                + "</text>";
    }

    static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.toBigInteger().toString() : s.toPlainString();
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
