package org.licensing.relay.usage;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A usage report: what the relay signs ({@code typ usage-report+jwt}, its own key) for the vendor.
 *
 * <table>
 *   <caption>Claims of a usage report</caption>
 *   <tr><th>Claim</th><th>Meaning</th></tr>
 *   <tr><td>{@code jti}, {@code iat}</td><td>report id (UUID), when it was made (s)</td></tr>
 *   <tr><td>{@code license_id}, {@code product}, {@code fingerprint}</td><td>the license, product and site</td></tr>
 *   <tr><td>{@code chk}</td><td>the checkout in force at the end of the period (absent: none yet)</td></tr>
 *   <tr><td>{@code report_seq}</td><td>1, 2, 3... per relay, without gaps</td></tr>
 *   <tr><td>{@code prev_report}</td><td>hex SHA-256 of the previous report's JWS text (64 zeros for the first)</td></tr>
 *   <tr><td>{@code from}, {@code to}</td><td>the period {@code [from, to)} (s); a report starts where the one
 *   before ended</td></tr>
 *   <tr><td>{@code totals}</td><td>quantity-seconds per quantity as decimal strings ({@code nodes}: node-seconds)</td></tr>
 *   <tr><td>{@code days}</td><td>{@code [{"day":"2026-12-07","totals":{...}}]} per UTC day with use</td></tr>
 *   <tr><td>{@code peak}</td><td>highest concurrent sum per quantity ({@code nodes}: most nodes at once)</td></tr>
 *   <tr><td>{@code log_seq}, {@code log_hash}</td><td>the usage log's last record when the report was made and its
 *   SHA-256: the report pins the log it was computed from</td></tr>
 * </table>
 */
public record UsageReport(UUID id, Instant issuedAt, String licenseId, String product, String fingerprint,
        String checkoutId, long sequence, String previousHash, Instant from, Instant to,
        Map<String, BigDecimal> totals, Map<LocalDate, Map<String, BigDecimal>> days, Map<String, BigDecimal> peak,
        long logSeq, String logHash) {

    public static final String TYP = "usage-report+jwt";

    public JWTClaimsSet toClaims() {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .jwtID(id.toString())
                .issueTime(Date.from(issuedAt))
                .claim("license_id", licenseId)
                .claim("product", product)
                .claim("fingerprint", fingerprint)
                .claim("report_seq", sequence)
                .claim("prev_report", previousHash)
                .claim("from", from.getEpochSecond())
                .claim("to", to.getEpochSecond())
                .claim("totals", strings(totals));
        if (checkoutId != null) {
            b.claim("chk", checkoutId);
        }
        List<Object> perDay = new ArrayList<>();
        days.forEach((day, m) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("day", day.toString());
            d.put("totals", strings(m));
            perDay.add(d);
        });
        return b.claim("days", perDay)
                .claim("peak", strings(peak))
                .claim("log_seq", logSeq)
                .claim("log_hash", logHash)
                .build();
    }

    /**
     * The report in {@code claims} (of a verified JWS).
     *
     * @throws IllegalArgumentException when a claim is missing or mistyped
     */
    public static UsageReport fromClaims(JWTClaimsSet c) {
        try {
            Map<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
            for (Object o : (List<?>) c.getClaim("days")) {
                Map<?, ?> d = (Map<?, ?>) o;
                days.put(LocalDate.parse((String) d.get("day")), decimals(d.get("totals")));
            }
            return new UsageReport(UUID.fromString(c.getJWTID()), c.getIssueTime().toInstant(),
                    c.getStringClaim("license_id"), c.getStringClaim("product"), c.getStringClaim("fingerprint"),
                    c.getStringClaim("chk"), c.getLongClaim("report_seq"), c.getStringClaim("prev_report"),
                    Instant.ofEpochSecond(c.getLongClaim("from")), Instant.ofEpochSecond(c.getLongClaim("to")),
                    decimals(c.getClaim("totals")), days, decimals(c.getClaim("peak")), c.getLongClaim("log_seq"),
                    c.getStringClaim("log_hash"));
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("Not a usage report: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> strings(Map<String, BigDecimal> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.toPlainString()));
        return out;
    }

    private static Map<String, BigDecimal> decimals(Object o) {
        Map<String, BigDecimal> out = new TreeMap<>();
        ((Map<?, ?>) o).forEach((k, v) -> out.put((String) k, new BigDecimal((String) v)));
        return out;
    }
}
