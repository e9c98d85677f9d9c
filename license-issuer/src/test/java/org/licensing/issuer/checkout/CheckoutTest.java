package org.licensing.issuer.checkout;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.checkout.Checkouts.*;
import static org.licensing.issuer.support.Api.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.key.LicenseKey;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.restassured.path.json.JsonPath;

/** Checkouts over HTTP against the emulated DynamoDB and PostgreSQL; files opened with license-core. */
@ServiceTest
class CheckoutTest {

    private static final String PROBLEMS = "https://licensing.dev/problems/";

    @Test
    void aCheckoutOpensOnlyWithTheKeyOnItsMachine() throws Exception {
        License l = license(3, false);
        String fpA = fingerprint();
        JsonPath issued = checkOut(l, fpA).then().statusCode(201)
                .header("Location", endsWith("/v1/licenses/" + l.id() + "/checkouts"))
                .body("licenseId", is(l.id())).body("fingerprint", is(fpA)).body("sequence", is(1))
                .body("file", notNullValue()).extract().jsonPath();
        String jwe = issued.getString("file");

        VerifiedCheckout opened = open(jwe, l.key(), fpA);
        CheckoutDocument doc = opened.document();
        assertEquals(LicenseValidity.VALID, opened.validity());
        assertEquals(fpA, doc.fingerprint());
        assertEquals(1, doc.sequence());
        assertEquals(l.id(), doc.license().licenseId());
        assertEquals(issued.getString("checkoutId"), doc.checkoutId().toString());
        assertEquals(Instant.parse(issued.getString("until")), doc.until());
        long days = ChronoUnit.DAYS.between(doc.issuedAt(), doc.until());
        assertEquals(30, days);

        // The bypasses of the plain file: a key made up for the same (public) license id, and another machine.
        LicenseKey forged = LicenseKey.generate(l.key().licenseId());
        LicenseFileException e = assertThrows(LicenseFileException.class, () -> open(jwe, forged, fpA));
        assertEquals(LicenseFileException.Reason.DECRYPTION_FAILED, e.reason());
        e = assertThrows(LicenseFileException.class, () -> open(jwe, l.key(), fingerprint()));
        assertEquals(LicenseFileException.Reason.WRONG_MACHINE, e.reason());

        // After regenerate-key the new key opens new checkouts, and old checkouts only with the old key.
        String newKey = as(admin()).post("/v1/licenses/" + l.id() + "/regenerate-key").then().statusCode(200)
                .extract().path("licenseKey");
        String jwe2 = checkOut(l, fpA).then().statusCode(201).body("sequence", is(2)).extract().path("file");
        assertEquals(2, open(jwe2, LicenseKey.parse(newKey), fpA).document().sequence());
        assertThrows(LicenseFileException.class, () -> open(jwe2, l.key(), fpA));
    }

    @Test
    void seatsAreSharedAndFreedByAReturn() throws Exception {
        License l = license(3, false);
        List<String> fps = List.of(fingerprint(), fingerprint(), fingerprint());
        for (String fp : fps) {
            checkOut(l, fp).then().statusCode(201);
        }
        String fourth = fingerprint();
        checkOut(l, fourth).then().statusCode(409).body("type", is(PROBLEMS + "too-many-activations"))
                .body("maxActivations", is(3));
        // The same machine checking out again keeps its seat, with a higher sequence number.
        checkOut(l, fps.get(0)).then().statusCode(201).body("sequence", is(4));
        JsonPath listed = list(l);
        assertEquals(3, listed.getList("").size());
        assertEquals(List.of(4, 3, 2), listed.getList("sequence"));
        assertEquals(List.of("ACTIVE", "ACTIVE", "ACTIVE"), listed.getList("state"));

        as(admin()).queryParam("reason", "host retired").delete("/v1/licenses/" + l.id() + "/checkouts/" + fps.get(1))
                .then().statusCode(200).body("state", is("RETURNED")).body("returnedAt", notNullValue());
        as(admin()).delete("/v1/licenses/" + l.id() + "/checkouts/" + fps.get(1)).then().statusCode(404)
                .body("type", is(PROBLEMS + "checkout-not-found"));
        checkOut(l, fourth).then().statusCode(201).body("sequence", is(5));
        checkOut(l, fingerprint()).then().statusCode(409);

        // The license page's activation count sees the checkouts too (one map, one limit).
        as(admin()).get("/v1/licenses/" + l.id()).then().statusCode(200).body("activations", is(3));
    }

    @Test
    void concurrentCheckoutsNeverExceedTheLimit() throws Exception {
        License l = license(3, false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String fp = fingerprint();
                calls.add(() -> checkOut(l, fp).then().extract().statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            assertEquals(3, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertTrue(codes.stream().allMatch(c -> c == 201 || c == 409 || c == 503), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        JsonPath listed = list(l);
        assertEquals(3, listed.getList("").size());
        // Sequence numbers are unique and strictly increasing: 1, 2, 3 in some order of the winners.
        assertEquals(List.of(3, 2, 1), listed.getList("sequence"));
    }

    @Test
    void theMachinesReturnFileFreesTheSeat() throws Exception {
        License l = license(1, false);
        String fp = fingerprint();
        String jwe = checkOut(l, fp).then().statusCode(201).extract().path("file");
        CheckoutDocument doc = open(jwe, l.key(), fp).document();
        checkOut(l, fingerprint()).then().statusCode(409);

        // A return made with a forged key of the same id is refused and changes nothing.
        CheckoutReturn forged = CheckoutReturn.create(doc, LicenseKey.generate(l.key().licenseId()), Instant.now());
        as(admin()).body(Map.of("returnFile", forged.toJson())).post("/v1/licenses/" + l.id() + "/checkouts/returns")
                .then().statusCode(422).body("type", is(PROBLEMS + "invalid-checkout-return"));
        assertEquals("ACTIVE", list(l).getString("[0].state"));

        CheckoutReturn ret = CheckoutReturn.create(doc, l.key(), Instant.now());
        as(admin()).body(Map.of("returnFile", ret.toJson())).post("/v1/licenses/" + l.id() + "/checkouts/returns")
                .then().statusCode(200).body("state", is("RETURNED")).body("fingerprint", is(fp));
        // The same file again changes nothing (and records nothing).
        as(admin()).body(Map.of("returnFile", ret.toJson())).post("/v1/licenses/" + l.id() + "/checkouts/returns")
                .then().statusCode(200).body("state", is("RETURNED"));
        checkOut(l, fingerprint()).then().statusCode(201).body("sequence", is(2));

        JsonPath events = audit(l);
        assertEquals(List.of("LICENSE_CHECKED_OUT", "LICENSE_CHECKOUT_RETURNED", "LICENSE_CHECKED_OUT",
                "LICENSE_ISSUED"), events.getList("action"));
        assertEquals(fp, events.getString("[2].after.fingerprint"));
        assertEquals("RETURNED", events.getString("[1].after.state"));
        assertEquals("ACTIVE", events.getString("[1].before.state"));
    }

    @Test
    void suspendedAndRevokedLicensesGetNoCheckout() {
        License l = license(3, false);
        String fp = fingerprint();
        as(admin()).post("/v1/licenses/" + l.id() + "/suspend").then().statusCode(200);
        checkOut(l, fp).then().statusCode(409).body("type", is(PROBLEMS + "license-suspended"));
        as(admin()).post("/v1/licenses/" + l.id() + "/revoke").then().statusCode(200);
        checkOut(l, fp).then().statusCode(409).body("type", is(PROBLEMS + "license-revoked"));
        assertEquals(0, list(l).getList("").size());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        License l = license(3, false);
        License other = license(3, false);
        String fp = fingerprint();
        UUID id = UUID.fromString(l.id());
        String malformedFp = CheckoutRequest.of(id, l.productCode(), fp, Instant.now(), null).toJson()
                .replace(fp, "host with spaces");
        checkOut(admin(), l, malformedFp, 30).then().statusCode(400).body("type", is(PROBLEMS + "invalid-request"))
                .body("detail", containsString("fingerprint"));
        checkOut(admin(), l, "{\"typ\":\"licensing.checkout-request.v1\"}", 30).then().statusCode(400);
        checkOut(admin(), l, "not json", 30).then().statusCode(400);
        // The request as a JSON object instead of its text is the same request; an unknown member is refused.
        checkOut(admin(), l, Map.of("typ", CheckoutRequest.TYPE, "license_id", l.id(), "product", l.productCode(),
                "fingerprint", fp, "created_at", "2026-12-07T10:00:00Z", "colour", "red"), 30).then().statusCode(400)
                .body("detail", containsString("colour"));
        // Longer than the policy's maxCheckoutDays (90), and past the license's end (365 + 14 days).
        checkOut(admin(), l, request(l, fp), 91).then().statusCode(400).body("detail",
                containsString("maxCheckoutDays 90"));
        checkOut(admin(), l, request(l, fp), 0).then().statusCode(400);
        // Another license's request, another product.
        checkOut(admin(), l, request(other, fp), 30).then().statusCode(422)
                .body("type", is(PROBLEMS + "checkout-request-mismatch"));
        String otherProduct = CheckoutRequest.of(id, other.productCode(), fp, Instant.now(), null).toJson();
        checkOut(admin(), l, otherProduct, 30).then().statusCode(422)
                .body("type", is(PROBLEMS + "checkout-request-mismatch"));
        // A request text over 16 KiB, and a body over the issuer's 64 KiB.
        String bigLabel = CheckoutRequest.of(id, l.productCode(), fp, Instant.now(), "x").toJson()
                .replace("\"label\":\"x\"", "\"label\":\"" + "x".repeat(17_000) + "\"");
        checkOut(admin(), l, bigLabel, 30).then().statusCode(400);
        checkOut(admin(), l, "x".repeat(70_000), 30).then().statusCode(413);
        // A malformed fingerprint in a return path.
        as(admin()).delete("/v1/licenses/" + l.id() + "/checkouts/" + "h".repeat(129)).then().statusCode(400);

        assertEquals(0, list(l).getList("").size());
        assertEquals(List.of("LICENSE_ISSUED"), audit(l).getList("action"));
        // Nothing was taken: three checkouts still fit.
        for (int i = 0; i < 3; i++) {
            checkOut(l, fingerprint()).then().statusCode(201).body("sequence", is(i + 1));
        }
    }

    @Test
    void pastTheLicensesEndIsRefused() {
        String customer = createCustomer(unique("Short"));
        String product = createProduct();
        String policyId = as(admin()).body(Map.of("productCode", product, "name", "Short", "durationDays", 10,
                "graceDays", 2, "maxActivations", 3, "maxCheckoutDays", 90)).post("/v1/policies").then()
                .statusCode(201).body("maxCheckoutDays", is(90)).body("allowUnboundFiles", is(false)).extract()
                .path("id");
        String id = as(admin()).body(Map.of("customerId", customer, "policyId", policyId)).post("/v1/licenses")
                .then().statusCode(201).extract().path("licenseId");
        License l = new License(id, null, customer, product);
        checkOut(admin(), l, request(l, fingerprint()), 13).then().statusCode(400)
                .body("detail", containsString("past the license's end"));
        checkOut(admin(), l, request(l, fingerprint()), 11).then().statusCode(201);
    }

    @Test
    void rolesPortalsAndIdempotency() throws Exception {
        License l = license(3, false);
        License other = license(3, false);
        String viewer = TestTokens.shared().backOffice("viewer@vendor.example", READ);
        checkOut(viewer, l, request(l, fingerprint()), 30).then().statusCode(403);
        as(viewer).get("/v1/licenses/" + l.id() + "/checkouts").then().statusCode(200);
        as(viewer).delete("/v1/licenses/" + l.id() + "/checkouts/" + fingerprint()).then().statusCode(403);

        String portal = portal(l.customerId());
        checkOut(portal, l, request(l, fingerprint()), 30).then().statusCode(201);
        checkOut(portal, other, request(other, fingerprint()), 30).then().statusCode(404);
        as(portal).get("/v1/licenses/" + other.id() + "/checkouts").then().statusCode(404);

        String fp = fingerprint();
        String body = request(l, fp);
        String first = as(admin()).header("Idempotency-Key", "co-" + fp).body(Map.of("request", body,
                "durationDays", 30)).post("/v1/licenses/" + l.id() + "/checkouts").then().statusCode(201)
                .extract().path("checkoutId");
        as(admin()).header("Idempotency-Key", "co-" + fp).body(Map.of("request", body, "durationDays", 30))
                .post("/v1/licenses/" + l.id() + "/checkouts").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("checkoutId", is(first));
        assertEquals(2, list(l).getList("").size());
    }
}
