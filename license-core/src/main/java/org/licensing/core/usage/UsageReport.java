package org.licensing.core.usage;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;

/**
 * A usage report: what a site's relay signs ({@code typ usage-report+jwt}, with its own key, the one the vendor
 * certified in the relay checkout) for the vendor. The relay makes and signs reports; the issuer verifies them and
 * checks their chain ({@link UsageReportChain}). A report names the one before it, so a site can stop reporting but
 * cannot rewrite what it reported.
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
    /** {@code prev_report} of the first report of a relay: there is none before it. */
    public static final String NO_PREVIOUS = "0".repeat(64);

    /**
     * Checks what the claims must say whoever signed them: a sequence from 1, a previous hash of 64 hex digits (the
     * zeros exactly for report 1), a period that ends after it starts, and no negative figure.
     */
    public UsageReport {
        Objects.requireNonNull(id, "jti");
        Objects.requireNonNull(issuedAt, "iat");
        requireText(licenseId, "license_id");
        requireText(product, "product");
        requireText(fingerprint, "fingerprint");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (sequence < 1) {
            throw new IllegalArgumentException("report_seq must be 1 or more, not " + sequence);
        }
        if (previousHash == null || !previousHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("prev_report must be 64 lower-case hex digits");
        }
        if ((sequence == 1) != NO_PREVIOUS.equals(previousHash)) {
            throw new IllegalArgumentException("prev_report must be 64 zeros for report 1 and only for it");
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("The period must end after it starts (from " + from + ", to " + to
                    + ")");
        }
        totals = nonNegative(totals, "totals");
        peak = nonNegative(peak, "peak");
        Map<LocalDate, Map<String, BigDecimal>> perDay = new TreeMap<>();
        Objects.requireNonNull(days, "days").forEach((d, m) -> perDay.put(d, nonNegative(m, "days " + d)));
        days = Collections.unmodifiableMap(perDay);
    }

    /** The hash the next report names in {@code prev_report}: hex SHA-256 of the UTF-8 bytes of the JWS text. */
    public static String hashOf(String jws) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(jws.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The report in {@code jws} if a key of {@code relayKeys} signed it (by {@code kid}), with {@code typ}
     * {@value #TYP}.
     *
     * @throws JwsVerificationException when the signature, the key or the type is not right
     * @throws IllegalArgumentException when the signed claims are not a usage report
     */
    public static UsageReport verify(String jws, JWKSet relayKeys) throws JwsVerificationException {
        return fromClaims(JwsVerifier.verify(jws, relayKeys, TYP).claims());
    }

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

    private static void requireText(String s, String claim) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(claim + " is required");
        }
    }

    private static Map<String, BigDecimal> nonNegative(Map<String, BigDecimal> m, String what) {
        Objects.requireNonNull(m, what);
        m.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null || v.signum() < 0) {
                throw new IllegalArgumentException(what + ": every figure needs a name and must not be negative");
            }
        });
        return Collections.unmodifiableMap(new TreeMap<>(m));
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
