package org.licensing.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

/** Human-readable output: key/value blocks and aligned tables. */
final class Render {

    private Render() {
    }

    /** {@code label   value} lines with aligned values; null values are skipped. */
    static void fields(PrintStream out, List<String[]> rows) {
        int width = 0;
        for (String[] r : rows) {
            if (r[1] != null) {
                width = Math.max(width, r[0].length());
            }
        }
        for (String[] r : rows) {
            if (r[1] != null) {
                out.println(pad(r[0], width) + "  " + r[1]);
            }
        }
    }

    static String[] row(String label, String value) {
        return new String[] {label, value};
    }

    /** A table with a header line; columns as wide as their widest cell. */
    static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i) == null ? 1 : r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i) == null ? "-" : r.get(i);
                line.append(i == r.size() - 1 ? cell : pad(cell, width[i]) + "  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The license as the issuer shows it (never its key: the key is printed by the issue command alone). */
    static List<String[]> license(JsonNode l) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("License", text(l, "licenseId")));
        rows.add(row("Status", text(l, "status")));
        rows.add(row("Customer", named(text(l, "customerName"), text(l, "customerId"))));
        rows.add(row("Product", named(text(l, "productName"), text(l, "productCode"))));
        rows.add(row("Policy", text(l, "policyId")));
        rows.add(row("Issued", text(l, "issuedAt")));
        rows.add(row("Valid from", text(l, "notBefore")));
        rows.add(row("Expires", text(l, "expiresAt")));
        rows.add(row("Grace days", text(l, "graceDays")));
        int max = l.path("maxActivations").asInt(0);
        rows.add(row("Activations", l.path("activations").asInt(0) + " of " + (max == 0 ? "unlimited" : max)));
        rows.add(row("Features", map(l.path("entitlements").path("features"))));
        rows.add(row("Limits", map(l.path("entitlements").path("limits"))));
        JsonNode emails = l.path("financeEmails");
        if (emails.isArray() && !emails.isEmpty()) {
            StringJoiner j = new StringJoiner(", ");
            emails.forEach(e -> j.add(e.asText()));
            rows.add(row("Finance", j.toString()));
        }
        rows.add(row("Version", text(l, "version")));
        rows.add(row("Updated", text(l, "updatedAt")));
        return rows;
    }

    static List<String> summaryHeader() {
        return List.of("LICENSE", "CUSTOMER", "PRODUCT", "STATUS", "EXPIRES", "LIMITS");
    }

    /** A search result (the issuer's LicenseSummary) as a table row; limits last, where a long cell harms least. */
    static List<String> summaryRow(JsonNode l) {
        String customer = text(l, "customerName");
        return List.of(orDash(cell(text(l, "licenseId"))),
                orDash(shorten(cell(customer != null ? customer : text(l, "customerId")), CUSTOMER_WIDTH)),
                orDash(cell(text(l, "productCode"))), orDash(cell(text(l, "status"))),
                orDash(instant(text(l, "expiresAt"))), cell(map(l.path("entitlements").path("limits"))));
    }

    /** Longer customer names are cut (show prints them whole), so a table stays one line per license. */
    static final int CUSTOMER_WIDTH = 32;

    /**
     * A value from the issuer as one table cell: control characters (a newline or a terminal escape sequence in a
     * customer name) become '?', so a row stays a row and nothing reaches the terminal as a command.
     */
    static String cell(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    static String shorten(String s, int max) {
        if (s == null || s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 3)) + "...";
    }

    /** An instant to the second ({@code 2027-01-01T00:00:00Z}); anything else as it came. */
    static String instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(s).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return cell(s);
        }
    }

    static String map(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(", ");
        node.fields().forEachRemaining(e -> j.add(e.getKey() + "=" + e.getValue().asText()));
        return j.toString();
    }

    static String map(Map<String, ?> m) {
        if (m == null || m.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(", ");
        m.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static String named(String name, String id) {
        if (name == null) {
            return id;
        }
        return id == null ? name : name + " (" + id + ")";
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
