package org.licensing.issuer.usage;

import static io.restassured.RestAssured.given;
import static org.licensing.issuer.support.Api.admin;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.usage.UsageReport;
import org.licensing.issuer.checkout.Checkouts;

import com.nimbusds.jose.jwk.OctetKeyPair;

import io.restassured.response.Response;

/**
 * A site's relay as the tests play it: its own Ed25519 key, certified by a relay checkout made through the issuer's
 * API, and usage reports made and signed with license-core as license-relay makes them.
 */
final class RelaySite {

    /** Start of the first report: whole days back, so reports end before the issuer's now. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(10, ChronoUnit.DAYS);

    final Checkouts.License license;
    final String fingerprint = Checkouts.fingerprint();
    final SigningKeys key;
    String checkoutId;

    RelaySite(Checkouts.License license) {
        this.license = license;
        this.key = SigningKeys.generate("relay-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A site with a relay checkout of a new license whose policy has {@code settings}. */
    static RelaySite checkedOut(Map<String, Object> settings) {
        RelaySite site = new RelaySite(Checkouts.license(3, settings));
        site.checkOut().then().statusCode(201);
        return site;
    }

    OctetKeyPair publicKey() {
        return (OctetKeyPair) key.publicJwkSet().getKeys().get(0);
    }

    /** Asks for a relay checkout certifying this relay's key; remembers its id when made. */
    Response checkOut() {
        String request = new CheckoutRequest(UUID.fromString(license.id()), license.productCode(), fingerprint,
                Instant.now(), "site", publicKey()).toJson();
        Response r = Checkouts.checkOut(admin(), license, request, 30);
        if (r.statusCode() == 201) {
            checkoutId = r.path("checkoutId");
        }
        return r;
    }

    /** Report {@code seq} over days {@code [fromDay, toDay)} after T0, naming {@code previous}: 8 gpus all day. */
    UsageReport report(long seq, String previous, int fromDay, int toDay) {
        Instant from = T0.plus(fromDay, ChronoUnit.DAYS);
        Instant to = T0.plus(toDay, ChronoUnit.DAYS);
        return report(seq, previous, from, to);
    }

    UsageReport report(long seq, String previous, Instant from, Instant to) {
        Map<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); d.atStartOfDay(ZoneOffset.UTC).toInstant()
                .isBefore(to); d = d.plusDays(1)) {
            BigDecimal gpuSeconds = new BigDecimal("691200.5"); // 8 GPUs for a day, and half a GPU-second
            days.put(d, Map.of("gpus", gpuSeconds));
            total = total.add(gpuSeconds);
        }
        return new UsageReport(UUID.randomUUID(), to, license.id(), license.productCode(), fingerprint, checkoutId,
                seq, previous, from, to, Map.of("gpus", total), days, Map.of("gpus", new BigDecimal("8")), seq * 10,
                "ab".repeat(32));
    }

    String sign(UsageReport report) {
        return key.sign(report.toClaims(), UsageReport.TYP);
    }

    static Response submit(String token, String licenseId, String jws) {
        return given().auth().oauth2(token).contentType("application/jwt").accept("application/json")
                .body(jws.getBytes(StandardCharsets.US_ASCII))
                .post("/v1/licenses/" + licenseId + "/usage-reports");
    }

    Response submit(String jws) {
        return submit(admin(), license.id(), jws);
    }
}
