package org.licensing.issuer.usage;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.usage.UsageReport;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * Whether a submitted usage report is authentic and this license's: for this license and product, signed by a relay
 * key that one of the license's relay checkouts certifies, about the site that checkout was made for. Plain Java (no
 * database): the service hands it the license's relay checkouts.
 *
 * <p>The key is found by the report's {@code kid} among the keys the license's relay checkouts certified, not by its
 * {@code chk} claim alone: a relay's first report may be made before its first checkout was installed (no
 * {@code chk}), and one relay key signs a chain across renewals (each report names the checkout in force when its
 * period ended). {@code chk}, when present, must be one of the checkouts that certified the signing key.
 */
final class ReportVerifier {

    /** Longest quantity name the issuer stores ({@code usage_days.quantity}). */
    static final int MAX_QUANTITY_NAME = 64;

    private ReportVerifier() {
    }

    /**
     * A verified report, its JWS text and hash, and the relay checkouts that certified its key.
     *
     * @param certifiedBy the relay checkouts of the signing key (all of one relay key, one site)
     */
    record Verified(UsageReport report, String jws, String hash, List<RelayCheckout> certifiedBy) {
        String thumbprint() {
            return certifiedBy.get(0).relayThumbprint;
        }

        String relayKid() {
            return certifiedBy.get(0).relayKid;
        }
    }

    /**
     * @param text the submitted body
     * @param relayCheckouts every relay checkout of the license
     * @throws org.licensing.support.problem.Problems problem exceptions: 400 not a report, 422
     *     usage-report-license-mismatch, relay-key-not-certified, usage-report-signature-invalid
     */
    static Verified verify(String text, String licenseId, String productCode, List<RelayCheckout> relayCheckouts) {
        String jws = text == null ? "" : text.strip();
        if (jws.isEmpty()) {
            throw Problems.badRequest("The body must be the usage report: its compact JWS text (the relay's"
                    + " report file), as application/jwt or text/plain");
        }
        JWSObject unverified;
        Map<String, Object> claimed;
        try {
            unverified = JWSObject.parse(jws);
            claimed = unverified.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            throw Problems.badRequest("Not a usage report (compact JWS, typ " + UsageReport.TYP + "): "
                    + e.getMessage());
        }
        if (claimed == null || unverified.getHeader().getType() == null
                || !UsageReport.TYP.equalsIgnoreCase(unverified.getHeader().getType().getType())) {
            throw Problems.badRequest("Not a usage report: the JWS typ must be " + UsageReport.TYP);
        }
        // What the report says it is about, read before its signature is checked, only to refuse it clearly.
        if (!licenseId.equals(claimed.get("license_id"))) {
            throw Problems.of(ProblemType.USAGE_REPORT_LICENSE_MISMATCH, "The report is for license "
                    + claimed.get("license_id") + ", not " + licenseId + ": send it to that license's usage reports");
        }
        if (!productCode.equals(claimed.get("product"))) {
            throw Problems.of(ProblemType.USAGE_REPORT_LICENSE_MISMATCH, "The report is for product "
                    + claimed.get("product") + "; license " + licenseId + " is for " + productCode);
        }
        String kid = unverified.getHeader().getKeyID();
        Map<String, List<RelayCheckout>> byKey = new LinkedHashMap<>();
        for (RelayCheckout c : relayCheckouts) {
            if (c.relayKid.equals(kid)) {
                byKey.computeIfAbsent(c.relayThumbprint, t -> new ArrayList<>()).add(c);
            }
        }
        if (byKey.isEmpty()) {
            throw Problems.of(ProblemType.RELAY_KEY_NOT_CERTIFIED, "The report is signed by relay key " + kid
                    + ", which no relay checkout of license " + licenseId + " certifies (its relay keys: "
                    + relayCheckouts.stream().map(c -> c.relayKid).distinct().toList() + ")");
        }
        UsageReport report = null;
        List<RelayCheckout> certifiedBy = null;
        String failure = null;
        for (List<RelayCheckout> checkouts : byKey.values()) {
            try {
                report = UsageReport.verify(jws, keySet(checkouts.get(0)));
                certifiedBy = checkouts;
                break;
            } catch (JwsVerificationException e) {
                failure = e.getMessage();
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest(e.getMessage());
            }
        }
        if (report == null) {
            throw Problems.of(ProblemType.USAGE_REPORT_SIGNATURE_INVALID, "The report's signature does not verify"
                    + " with relay key " + kid + " certified for license " + licenseId + " (" + failure + "): it was"
                    + " altered or not made by that relay");
        }
        String site = certifiedBy.get(0).fingerprint;
        if (!site.equals(report.fingerprint())) {
            throw Problems.of(ProblemType.RELAY_KEY_NOT_CERTIFIED, "Relay key " + kid + " is certified for site "
                    + site + ", but the report names site " + report.fingerprint());
        }
        String chk = report.checkoutId();
        if (chk != null && certifiedBy.stream().noneMatch(c -> c.checkoutId.toString().equals(chk))) {
            throw Problems.of(ProblemType.RELAY_KEY_NOT_CERTIFIED, "The report names checkout " + report.checkoutId()
                    + ", which did not certify relay key " + kid + " for license " + licenseId);
        }
        if (report.logHash() == null || !report.logHash().matches("[0-9a-f]{64}")) {
            throw Problems.badRequest("log_hash must be 64 lower-case hex digits");
        }
        for (Map<String, ?> figures : List.of(report.totals(), report.peak())) {
            requireNames(figures);
        }
        report.days().values().forEach(ReportVerifier::requireNames);
        return new Verified(report, jws, UsageReport.hashOf(jws), List.copyOf(certifiedBy));
    }

    private static void requireNames(Map<String, ?> figures) {
        for (String name : figures.keySet()) {
            if (name.length() > MAX_QUANTITY_NAME) {
                throw Problems.badRequest("Quantity names are at most " + MAX_QUANTITY_NAME + " characters");
            }
        }
    }

    private static JWKSet keySet(RelayCheckout checkout) {
        try {
            return new JWKSet(JWK.parse(Objects.requireNonNull(checkout.relayKey)));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored relay key of checkout " + checkout.checkoutId + " is not a JWK", e);
        }
    }

}
