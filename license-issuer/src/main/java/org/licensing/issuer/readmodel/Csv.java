package org.licensing.issuer.readmodel;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CSV form of license summaries (RFC 4180: CRLF, fields with a comma, quote or line break quoted, quotes
 * doubled). A text field starting with {@code = + - @} (or a tab or carriage return) gets a leading {@code '} so a
 * spreadsheet shows it instead of running it as a formula (OWASP "CSV injection").
 */
final class Csv {

    static final String HEADER = "licenseId,customerId,customerName,customerExternalId,productCode,policyId,status,"
            + "issuedAt,notBefore,expiresAt,graceDays,limits,features\r\n";

    private Csv() {
    }

    static String row(LicenseSummary s) {
        StringBuilder b = new StringBuilder(256);
        field(b, s.licenseId()).append(',');
        field(b, s.customerId()).append(',');
        field(b, s.customerName()).append(',');
        field(b, s.customerExternalId()).append(',');
        field(b, s.productCode()).append(',');
        field(b, s.policyId()).append(',');
        field(b, s.status().name()).append(',');
        field(b, s.issuedAt().toString()).append(',');
        field(b, s.notBefore().toString()).append(',');
        field(b, s.expiresAt().toString()).append(',');
        b.append(s.graceDays()).append(',');
        field(b, pairs(s.entitlements().limits(), v -> ((java.math.BigDecimal) v).toPlainString())).append(',');
        field(b, pairs(s.entitlements().features(), String::valueOf));
        return b.append("\r\n").toString();
    }

    /** {@code name=value;...} in name order (the summary's maps are sorted). */
    private static String pairs(Map<String, ?> map, java.util.function.Function<Object, String> value) {
        return map == null ? "" : map.entrySet().stream().map(e -> e.getKey() + "=" + value.apply(e.getValue()))
                .collect(Collectors.joining(";"));
    }

    static StringBuilder field(StringBuilder b, String value) {
        if (value == null || value.isEmpty()) {
            return b;
        }
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return b.append('"').append(v.replace("\"", "\"\"")).append('"');
        }
        return b.append(v);
    }
}
