package org.licensing.issuer.catalog;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.restassured.path.json.JsonPath;

/**
 * {@code PATCH /v1/customers/{id}}: a change on a version, audited and published as customer.updated, refused to
 * portal tokens, checked, repeatable with an Idempotency-Key; a new external id reaches the license read model.
 */
@ServiceTest
class CustomerUpdateTest {

    @Test
    void aCustomerChangeIsAuditedPublishedAndSeenByTheReadModel() {
        Fixture f = fixture();
        String id = f.customerId();
        String license = f.issue().getString("licenseId");
        String path = "/v1/customers/" + id;
        as(admin()).get(path).then().statusCode(200).body("version", is(1));

        String externalId = unique("crm");
        JsonPath changed = as(admin()).header("If-Match", "\"1\"")
                .body(Map.of("name", "Renamed GmbH", "externalId", externalId, "reason", "merger"))
                .patch(path).then().statusCode(200).extract().jsonPath();
        assertEquals("Renamed GmbH", changed.getString("name"));
        assertEquals(externalId, changed.getString("externalId"));
        assertEquals("ACTIVE", changed.getString("status"));
        assertEquals(2, changed.getInt("version"));
        as(admin()).get(path).then().body("name", is("Renamed GmbH")).body("version", is(2));

        // audited, with before and after
        JsonPath audit = as(admin()).queryParam("targetType", "CUSTOMER").queryParam("targetId", id)
                .queryParam("action", "CUSTOMER_UPDATED").get("/v1/audit-events").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(1, audit.getList("").size());
        assertEquals("merger", audit.getString("[0].reason"));
        assertEquals(1, audit.getInt("[0].before.version"));
        assertEquals("Renamed GmbH", audit.getString("[0].after.name"));
        // published: the customer's events, the update carrying the customer as the API shows it
        JsonPath feed = as(admin()).queryParam("subjectType", "customer").queryParam("subjectId", id)
                .get("/v1/events").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("customer.created", "customer.contact-added", "customer.updated"),
                feed.getList("items.type"));
        assertEquals(changed.getMap(""), feed.getMap("items[2].data"));
        assertEquals(id, feed.getString("items[2].customerId"));
        // the license read model follows the catalog's external id (search by its prefix)
        as(admin()).queryParam("q", externalId).get("/v1/licenses").then().statusCode(200)
                .body("items.licenseId", contains(license)).body("items[0].customerExternalId", is(externalId));

        // a change on an older version changes nothing
        as(admin()).body(Map.of("status", "INACTIVE", "expectedVersion", 1)).patch(path).then().statusCode(409)
                .body("type", endsWith("stale-version"));
        as(admin()).header("If-Match", "\"1\"").body(Map.of("status", "INACTIVE")).patch(path).then()
                .statusCode(409);
        as(admin()).get(path).then().body("status", is("ACTIVE")).body("version", is(2));

        // the same Idempotency-Key again: the first answer, applied once
        for (int i = 0; i < 2; i++) {
            as(admin()).header("Idempotency-Key", "deactivate-" + id).body(Map.of("status", "INACTIVE"))
                    .patch(path).then().statusCode(200).body("version", is(3)).body("status", is("INACTIVE"));
        }
        // an inactive customer gets no new license
        as(admin()).body(Map.of("customerId", id, "policyId", f.policyId())).post("/v1/licenses").then()
                .statusCode(422).body("type", endsWith("customer-inactive"));
    }

    @Test
    void portalTokensAndBadInputAreRefusedAndChangeNothing() {
        Fixture f = fixture();
        String id = f.customerId();
        String path = "/v1/customers/" + id;
        String taken = unique("crm");
        as(admin()).body(Map.of("name", unique("Other"), "externalId", taken)).post("/v1/customers").then()
                .statusCode(201);

        as(TestTokens.shared().portal("p@" + id, id, CATALOG, READ, WRITE)).body(Map.of("name", "Mine now"))
                .patch(path).then().statusCode(403);
        as(backOffice("ops@vendor.example")).body(Map.of("name", "No role")).patch(path).then().statusCode(403);
        as(admin()).body(Map.of()).patch(path).then().statusCode(400).body("detail", containsString("at least one"));
        as(admin()).body(Map.of("name", "  ")).patch(path).then().statusCode(400);
        as(admin()).body(Map.of("externalId", "has space")).patch(path).then().statusCode(400);
        as(admin()).body(Map.of("status", "GONE")).patch(path).then().statusCode(400);
        as(admin()).body(Map.of("name", "x", "surprise", 1)).patch(path).then().statusCode(400)
                .body("type", endsWith("malformed-request-body"));
        as(admin()).header("If-Match", "banana").body(Map.of("name", "x")).patch(path).then().statusCode(400);
        as(admin()).body(Map.of("externalId", taken)).patch(path).then().statusCode(409)
                .body("type", endsWith("duplicate-external-id"));
        as(admin()).body(Map.of("name", "x")).patch("/v1/customers/" + UUID.randomUUID()).then().statusCode(404);
        as(admin()).body(Map.of("name", "x")).patch("/v1/customers/not-an-id").then().statusCode(404);

        as(admin()).get(path).then().body("version", is(1));
        assertEquals(List.of(), as(admin()).queryParam("targetId", id).queryParam("action", "CUSTOMER_UPDATED")
                .get("/v1/audit-events").then().statusCode(200).extract().jsonPath().getList(""));
    }
}
