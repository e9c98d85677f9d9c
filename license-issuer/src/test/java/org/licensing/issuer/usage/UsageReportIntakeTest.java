package org.licensing.issuer.usage;

import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;
import static org.licensing.issuer.support.Api.portal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.usage.UsageReport;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

/**
 * Usage reports over HTTP against the harness' PostgreSQL and DynamoDB: relay keys certified by relay checkouts
 * made through the API, reports made and signed with license-core as the relay makes them.
 */
@ServiceTest
class UsageReportIntakeTest {

    private static final String PROBLEMS = "https://licensing.dev/problems/";
    private static final String NONE = UsageReport.NO_PREVIOUS;

    @Test
    void aChainOfThreeIsAcceptedAndShownWithItsState() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        String r1 = site.sign(site.report(1, NONE, 0, 1));
        String r2 = site.sign(site.report(2, UsageReport.hashOf(r1), 1, 2));
        String r3 = site.sign(site.report(3, UsageReport.hashOf(r2), 2, 4));
        site.submit(r1).then().statusCode(201).body("sequence", is(1)).body("checkoutId", is(site.checkoutId))
                .body("fingerprint", is(site.fingerprint)).body("totals.gpus", is("691200.5"))
                .body("reportHash", is(UsageReport.hashOf(r1)));
        site.submit(r2).then().statusCode(201).body("sequence", is(2));
        site.submit(r3).then().statusCode(201).body("sequence", is(3)).body("totals.gpus", is("1382401.0"));

        JsonPath listed = as(admin()).get("/v1/licenses/" + site.license.id() + "/usage-reports").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(3, 2, 1), listed.getList("reports.sequence"));
        assertEquals(1, listed.getList("chains").size());
        assertEquals(3, listed.getInt("chains[0].lastSequence"));
        assertEquals(4, listed.getInt("chains[0].nextSequence"));
        assertEquals(UsageReport.hashOf(r3), listed.getString("chains[0].nextPreviousReport"));
        assertEquals(RelaySite.T0.plus(4, ChronoUnit.DAYS).toString(), listed.getString("chains[0].nextFrom"));

        // Per quantity per day, beside the license's limit of 8 gpus: 691200.5 GPU-seconds is 8.000006 on average.
        LocalDate day0 = LocalDate.ofInstant(RelaySite.T0, ZoneOffset.UTC);
        JsonPath usage = as(admin()).queryParam("from", day0.toString()).queryParam("to", day0.plusDays(2).toString())
                .get("/v1/licenses/" + site.license.id() + "/usage").then().statusCode(200).extract().jsonPath();
        assertEquals("gpus", usage.getString("quantities[0].quantity"));
        assertEquals("8", usage.getString("quantities[0].limit"));
        assertEquals("2073601.5", usage.getString("quantities[0].quantitySeconds"));
        assertEquals(List.of(day0.toString(), day0.plusDays(1).toString(), day0.plusDays(2).toString()),
                usage.getList("quantities[0].days.day"));
        assertEquals("8.000006", usage.getString("quantities[0].days[0].averageInUse"));

        as(admin()).queryParam("licenseId", site.license.id()).get("/v1/audit-events").then().statusCode(200)
                .body("action", hasItem("LICENSE_USAGE_REPORTED"));
        // each accepted report is an event of the feed, in the order received, its subject the report
        JsonPath events = as(admin()).queryParam("licenseId", site.license.id())
                .queryParam("type", "usage-report.received").get("/v1/events").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("usage-report", "usage-report", "usage-report"), events.getList("items.subject.type"));
        List<Object> oldestFirst = new java.util.ArrayList<>(listed.getList("reports.reportId"));
        java.util.Collections.reverse(oldestFirst);
        assertEquals(oldestFirst, events.getList("items.subject.id"));
        assertEquals(List.of(1, 2, 3), events.getList("items.data.sequence"));
    }

    @Test
    void gapsOverlapsAndReportsOutOfSequenceAreRefusedEachWithItsType() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        String r1 = site.sign(site.report(1, NONE, 0, 1));
        String h1 = UsageReport.hashOf(r1);
        // Report 2 first: report 1 is missing.
        site.submit(site.sign(site.report(2, h1, 1, 2))).then().statusCode(409)
                .body("type", is(PROBLEMS + "usage-report-out-of-sequence")).body("expectedSequence", is(1));
        site.submit(r1).then().statusCode(201);

        site.submit(site.sign(site.report(3, h1, 1, 2))).then().statusCode(409)
                .body("type", is(PROBLEMS + "usage-report-out-of-sequence")).body("expectedSequence", is(2));
        site.submit(site.sign(site.report(2, "cd".repeat(32), 1, 2))).then().statusCode(409)
                .body("type", is(PROBLEMS + "usage-report-out-of-sequence"));
        var day1 = RelaySite.T0.plus(1, ChronoUnit.DAYS);
        site.submit(site.sign(site.report(2, h1, day1.plusSeconds(1), day1.plus(1, ChronoUnit.DAYS)))).then()
                .statusCode(409).body("type", is(PROBLEMS + "usage-report-gap"))
                .body("expectedFrom", is(day1.toString()));
        site.submit(site.sign(site.report(2, h1, day1.minusSeconds(1), day1.plus(1, ChronoUnit.DAYS)))).then()
                .statusCode(409).body("type", is(PROBLEMS + "usage-report-overlap"));
        // A report ending in the future (the site's clock ahead) is refused.
        site.submit(site.sign(site.report(2, h1, 1, 30))).then().statusCode(400)
                .body("type", is(PROBLEMS + "invalid-request"));

        // None of them was stored: the right report 2 is still the next.
        site.submit(site.sign(site.report(2, h1, 1, 2))).then().statusCode(201);
    }

    @Test
    void theSameReportTwiceIsAReplayUnlessRetriedWithItsIdempotencyKey() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        String r1 = site.sign(site.report(1, NONE, 0, 1));
        String path = "/v1/licenses/" + site.license.id() + "/usage-reports";
        String key = "usage-" + site.fingerprint;
        byte[] body = r1.getBytes(StandardCharsets.US_ASCII);
        String first = as(admin()).contentType("application/jwt").header("Idempotency-Key", key).body(body)
                .post(path).then().statusCode(201).extract().path("reportHash");
        as(admin()).contentType("application/jwt").header("Idempotency-Key", key).body(body).post(path).then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("reportHash", is(first));
        site.submit(r1).then().statusCode(409).body("type", is(PROBLEMS + "usage-report-replayed"))
                .body("sequence", is(1));
        as(admin()).get("/v1/licenses/" + site.license.id() + "/usage-reports").then().statusCode(200)
                .body("reports.size()", is(1));
    }

    @Test
    void forgedAndAlteredReportsAreRefused() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        // Another key under the certified key's kid: the signature does not verify with the certified key.
        SigningKeys impostor = SigningKeys.generate(site.key.activeKid());
        site.submit(impostor.sign(site.report(1, NONE, 0, 1).toClaims(), UsageReport.TYP)).then().statusCode(422)
                .body("type", is(PROBLEMS + "usage-report-signature-invalid"));

        // The relay's own report with its GPU-seconds lowered after signing.
        String real = site.sign(site.report(1, NONE, 0, 1));
        String[] parts = real.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("691200.5", "1.5");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        site.submit(altered).then().statusCode(422).body("type", is(PROBLEMS + "usage-report-signature-invalid"));

        site.submit("not a report").then().statusCode(400).body("type", is(PROBLEMS + "invalid-request"));
        as(admin()).body(Map.of("report", real)).post("/v1/licenses/" + site.license.id() + "/usage-reports").then()
                .statusCode(415).body("type", is(PROBLEMS + "unsupported-media-type"));
        site.submit(real).then().statusCode(201);
    }

    @Test
    void aReportOfAnotherLicenseOrByAKeyNotCertifiedForThisOneIsRefused() {
        RelaySite a = RelaySite.checkedOut(Map.of());
        RelaySite b = RelaySite.checkedOut(Map.of());
        String forB = b.sign(b.report(1, NONE, 0, 1));
        RelaySite.submit(admin(), a.license.id(), forB).then().statusCode(422)
                .body("type", is(PROBLEMS + "usage-report-license-mismatch"));

        // A report that claims license A, signed by B's relay key (certified for license B only).
        RelaySite bAsA = new RelaySite(a.license);
        bAsA.checkoutId = a.checkoutId;
        String claimsA = b.key.sign(bAsA.report(1, NONE, 0, 1).toClaims(), UsageReport.TYP);
        a.submit(claimsA).then().statusCode(422).body("type", is(PROBLEMS + "relay-key-not-certified"));

        // A's key, but naming a checkout that did not certify it (B's).
        var named = a.report(1, NONE, 0, 1);
        var otherChk = new UsageReport(named.id(), named.issuedAt(), named.licenseId(), named.product(),
                named.fingerprint(), b.checkoutId, 1, NONE, named.from(), named.to(), named.totals(), named.days(),
                named.peak(), named.logSeq(), named.logHash());
        a.submit(a.sign(otherChk)).then().statusCode(422).body("type", is(PROBLEMS + "relay-key-not-certified"));

        // The customer's portal token may hand in its own site's reports; another customer's sees no license.
        RelaySite.submit(portal(b.license.customerId()), a.license.id(), a.sign(a.report(1, NONE, 0, 1))).then()
                .statusCode(404);
        RelaySite.submit(portal(a.license.customerId()), a.license.id(), a.sign(a.report(1, NONE, 0, 1))).then()
                .statusCode(201);
    }

    @Test
    void concurrentSubmissionsOfTheNextReportAcceptExactlyOne() throws Exception {
        RelaySite site = RelaySite.checkedOut(Map.of());
        String r1 = site.sign(site.report(1, NONE, 0, 1));
        String h1 = UsageReport.hashOf(r1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // The same report from eight hands at once.
            List<Integer> codes = run(pool, 8, i -> r1, site);
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertTrue(codes.stream().allMatch(c -> c == 201 || c == 409), codes.toString());
            // Eight different reports 2 at once (a forked chain): one is accepted, the rest are not the next.
            List<String> forks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                forks.add(site.sign(site.report(2, h1, 1, 2)));
            }
            codes = run(pool, 8, forks::get, site);
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertTrue(codes.stream().allMatch(c -> c == 201 || c == 409), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        as(admin()).get("/v1/licenses/" + site.license.id() + "/usage-reports").then().statusCode(200)
                .body("reports.size()", is(2)).body("chains[0].lastSequence", is(2));
    }

    @Test
    void aRangeOfUsageIsCheckedAndDaysWithoutReportsAreAbsent() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        String base = "/v1/licenses/" + site.license.id() + "/usage";
        as(admin()).queryParam("from", "2026-12-31").queryParam("to", "2026-12-01").get(base).then().statusCode(400)
                .body("type", is(PROBLEMS + "invalid-date"));
        as(admin()).queryParam("from", "2025-01-01").queryParam("to", "2026-12-01").get(base).then().statusCode(400)
                .body("type", is(PROBLEMS + "invalid-date"));
        as(admin()).queryParam("from", "yesterday").get(base).then().statusCode(400)
                .body("type", is(PROBLEMS + "invalid-date"));
        // No report yet: the limit is there, with no days.
        as(admin()).get(base).then().statusCode(200).body("quantities.quantity", is(List.of("gpus")))
                .body("quantities[0].days", is(List.of())).body("quantities[0].quantitySeconds", is("0"));
        as(portal(site.license.customerId())).get(base).then().statusCode(200);
        as(admin()).get("/v1/licenses/" + java.util.UUID.randomUUID() + "/usage").then().statusCode(404);
    }

    @Test
    void aPolicyCanRequireReportsBeforeASiteGetsAnotherRelayCheckout() {
        RelaySite site = RelaySite.checkedOut(Map.of("requireUsageReports", true));
        as(admin()).get("/v1/licenses/" + site.license.id()).then().statusCode(200);
        String firstCheckout = site.checkoutId;
        // A renewal without reports is refused.
        site.checkOut().then().statusCode(409).body("type", is(PROBLEMS + "usage-report-required"))
                .body("reportedUntil", nullValue());
        // Reports that end before the previous checkout was made are not enough.
        String r1 = site.sign(site.report(1, NONE, 0, 1));
        site.submit(r1).then().statusCode(201);
        site.checkOut().then().statusCode(409).body("type", is(PROBLEMS + "usage-report-required"))
                .body("reportedUntil", is(RelaySite.T0.plus(1, ChronoUnit.DAYS).toString()));
        // A report up to now (after the checkout was made) is.
        var now = java.time.Instant.now().truncatedTo(ChronoUnit.SECONDS);
        site.submit(site.sign(site.report(2, UsageReport.hashOf(r1), RelaySite.T0.plus(1, ChronoUnit.DAYS), now)))
                .then().statusCode(201).body("checkoutId", is(firstCheckout));
        site.checkOut().then().statusCode(201);
        // Another site of the same license gets its first relay checkout without reports.
        RelaySite other = new RelaySite(site.license);
        other.checkOut().then().statusCode(201);
        as(admin()).get("/v1/licenses/" + site.license.id() + "/checkouts").then().statusCode(200)
                .body("state", everyItem(is("ACTIVE")));
    }

    @Test
    void withoutThePolicyFlagARelayCheckoutIsRenewedWithoutReports() {
        RelaySite site = RelaySite.checkedOut(Map.of());
        site.checkOut().then().statusCode(201).body("sequence", is(2));
        as(admin()).get("/v1/policies").then().statusCode(200).body("requireUsageReports", hasItem(false));
    }

    private static List<Integer> run(ExecutorService pool, int n, java.util.function.IntFunction<String> report,
            RelaySite site) throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String jws = report.apply(i);
            calls.add(() -> site.submit(jws).then().extract().statusCode());
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            codes.add(f.get());
        }
        return codes;
    }
}
