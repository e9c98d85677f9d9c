package org.licensing.issuer.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/**
 * An accepted usage report as the API shows it (the signed figures, its place in its relay's chain, who handed it
 * in). Figures are exact decimals as strings: quantity-seconds per quantity ({@code nodes}: node-seconds).
 */
@Schema(name = "UsageReport", example = Examples.USAGE_REPORT)
public record UsageReportView(String licenseId, String reportId, long sequence, String relayKid, String fingerprint,
        String checkoutId, Instant from, Instant to, Instant madeAt, Instant receivedAt, String receivedBy,
        String reportHash, String previousHash, Map<String, String> totals, Map<String, String> peak) {

    static UsageReportView of(ReceivedReport r, Map<String, String> totals, Map<String, String> peak) {
        return new UsageReportView(r.licenseId.toString(), r.reportId.toString(), r.sequence, r.relayKid,
                r.fingerprint, r.checkoutId == null ? null : r.checkoutId.toString(), r.periodFrom, r.periodTo,
                r.madeAt, r.receivedAt, r.receivedBy, r.reportHash, r.previousHash, totals, peak);
    }

    static Map<String, String> strings(Map<String, BigDecimal> figures) {
        Map<String, String> out = new TreeMap<>();
        figures.forEach((k, v) -> out.put(k, v.toPlainString()));
        return out;
    }
}
