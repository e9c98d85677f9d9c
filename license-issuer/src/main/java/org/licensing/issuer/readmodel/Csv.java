package org.licensing.issuer.readmodel;

import java.util.Map;
import java.util.stream.Collectors;

import org.licensing.support.csv.CsvText;

/**
 * The CSV form of license summaries (RFC 4180, CRLF): every text field quoted and defused against spreadsheet
 * formulas by service-support's {@link CsvText}, numbers bare.
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

    private static StringBuilder field(StringBuilder b, String value) {
        return CsvText.field(b, value);
    }
}
