package org.licensing.issuer.license;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.core.key.LicenseKey;
import org.licensing.store.LicenseTable;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.LocalBackends;

import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ServiceTest
class LicenseLifecycleTest {

    @Test
    void issueReturnsTheKeyOnceAndStoresOnlyItsHash() {
        Api.Fixture f = Api.fixture();
        JsonPath issued = f.issue(Map.of("entitlements", Map.of("limits", Map.of("gpus", 16))));

        String id = issued.getString("licenseId");
        String key = issued.getString("licenseKey");
        assertTrue(LicenseKey.isWellFormed(key));
        assertEquals(id, LicenseKey.parse(key).licenseId().toString());
        assertEquals(f.customerId(), issued.getString("customerId"));
        assertEquals(f.productCode(), issued.getString("productCode"));
        assertEquals("ACTIVE", issued.getString("status"));
        assertEquals(14, issued.getInt("graceDays"));
        assertEquals(3, issued.getInt("maxActivations"));
        assertEquals(16, issued.getInt("entitlements.limits.gpus"));
        assertEquals(4, issued.getInt("entitlements.limits.nodes"));
        assertEquals(true, issued.getBoolean("entitlements.features.sso"));
        assertEquals(1, issued.getInt("version"));
        // Defaults: notBefore is the issue instant, expiresAt notBefore + the policy's durationDays (365).
        java.time.Instant issuedAt = java.time.Instant.parse(issued.getString("issuedAt"));
        java.time.Instant notBefore = java.time.Instant.parse(issued.getString("notBefore"));
        assertEquals(issuedAt, notBefore);
        assertEquals(notBefore.plus(java.time.Duration.ofDays(365)),
                java.time.Instant.parse(issued.getString("expiresAt")));
        assertEquals(1, issued.getList("financeEmails").size());

        Map<String, AttributeValue> item = LocalBackends.shared().dynamoDbClient().getItem(b -> b
                .tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(LicenseTable.licensePk(id))))).item();
        assertEquals(LicenseKey.parse(key).secretHash(), item.get(LicenseTable.KEY_HASH).s());
        String secretPart = key.substring(20);
        assertFalse(item.toString().contains(secretPart), "the key must not be stored");

        as(admin()).get("/v1/licenses/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("licenseId", is(id))
                .body("licenseKey", nullValue())
                .body("customerName", notNullValue());
    }

    @Test
    void renewSuspendReinstateRevokeBumpTheVersionAndRevokeIsFinal() {
        Api.Fixture f = Api.fixture();
        JsonPath issued = f.issue();
        String id = issued.getString("licenseId");
        String expiry = issued.getString("expiresAt");

        String renewed = as(admin()).body(Map.of("expectedVersion", 1, "extendDays", 30,
                "entitlements", Map.of("features", Map.of("sso", false), "limits", Map.of("gpus", 64))))
                .post("/v1/licenses/" + id + "/renew").then().statusCode(200)
                .body("version", is(2))
                .body("entitlements.limits.gpus", is(64))
                .body("entitlements.limits.nodes", nullValue())
                .body("entitlements.features.sso", is(false))
                .body("licenseKey", nullValue())
                .extract().path("expiresAt");
        assertEquals(java.time.Instant.parse(expiry).plus(java.time.Duration.ofDays(30)),
                java.time.Instant.parse(renewed));

        as(admin()).header("If-Match", "\"2\"").post("/v1/licenses/" + id + "/suspend").then().statusCode(200)
                .body("status", is("SUSPENDED")).body("version", is(3));
        as(admin()).body(Map.of("expectedVersion", 3)).post("/v1/licenses/" + id + "/suspend").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", is("https://licensing.dev/problems/invalid-state-transition"));
        as(admin()).body(Map.of("expectedVersion", 3)).post("/v1/licenses/" + id + "/reinstate").then()
                .statusCode(200).body("status", is("ACTIVE")).body("version", is(4));
        as(admin()).body(Map.of("expectedVersion", 4, "reason", "contract ended"))
                .post("/v1/licenses/" + id + "/revoke").then().statusCode(200).body("status", is("REVOKED"));

        for (String action : new String[] {"reinstate", "suspend", "revoke", "regenerate-key"}) {
            as(admin()).post("/v1/licenses/" + id + "/" + action).then().statusCode(409)
                    .body("type", is("https://licensing.dev/problems/invalid-state-transition"));
        }
        as(admin()).body(Map.of("extendDays", 10)).post("/v1/licenses/" + id + "/renew").then().statusCode(409);
        as(admin()).get("/v1/licenses/" + id).then().body("status", is("REVOKED")).body("version", is(5));
    }

    @Test
    void staleVersionIsRefusedWith409AndChangesNothing() {
        String id = Api.fixture().issue().getString("licenseId");
        as(admin()).body(Map.of("expectedVersion", 7, "extendDays", 30)).post("/v1/licenses/" + id + "/renew")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", is("https://licensing.dev/problems/stale-version"));
        as(admin()).header("If-Match", "\"5\"").post("/v1/licenses/" + id + "/suspend").then().statusCode(409);
        as(admin()).get("/v1/licenses/" + id).then().body("version", is(1)).body("status", is("ACTIVE"));
    }

    @Test
    void regenerateKeyReturnsANewKeyAndTheOldOneStopsMatching() {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        LicenseKey oldKey = LicenseKey.parse(issued.getString("licenseKey"));

        String newText = as(admin()).body(Map.of("expectedVersion", 1))
                .post("/v1/licenses/" + id + "/regenerate-key").then().statusCode(200)
                .body("version", is(2)).extract().path("licenseKey");
        LicenseKey newKey = LicenseKey.parse(newText);
        assertEquals(id, newKey.licenseId().toString());
        assertNotEquals(oldKey, newKey);

        String storedHash = LocalBackends.shared().dynamoDbClient().getItem(b -> b
                .tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(LicenseTable.licensePk(id))))).item()
                .get(LicenseTable.KEY_HASH).s();
        assertTrue(newKey.matchesHash(storedHash));
        assertFalse(oldKey.matchesHash(storedHash));
        as(admin()).get("/v1/licenses/" + id).then().body("licenseKey", nullValue());
    }

    @Test
    void unknownOrMalformedIdsAre404Problems() {
        as(admin()).get("/v1/licenses/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("https://licensing.dev/problems/not-found"));
        as(admin()).get("/v1/licenses/not-a-uuid").then().statusCode(404);
        as(admin()).body(Map.of("extendDays", 1)).post("/v1/licenses/" + java.util.UUID.randomUUID() + "/renew")
                .then().statusCode(404);
    }

    @Test
    void issueOverridesExpiryAndLimitsAndRejectsBadCombinations() {
        Api.Fixture f = Api.fixture();
        JsonPath issued = f.issue(Map.of("expiresAt", "2031-05-01T00:00:00Z", "graceDays", 3,
                "maxActivations", 0, "notBefore", "2030-01-01T00:00:00Z"));
        assertEquals("2031-05-01T00:00:00Z", issued.getString("expiresAt"));
        assertEquals("2030-01-01T00:00:00Z", issued.getString("notBefore"));
        assertEquals(3, issued.getInt("graceDays"));
        assertEquals(0, issued.getInt("maxActivations"));

        as(admin()).body(Map.of("customerId", f.customerId(), "policyId", f.policyId(),
                "expiresAt", "2031-05-01T00:00:00Z", "durationDays", 10)).post("/v1/licenses").then()
                .statusCode(400);
        as(admin()).body(Map.of("customerId", f.customerId(), "policyId", java.util.UUID.randomUUID().toString()))
                .post("/v1/licenses").then().statusCode(422)
                .body("type", is("https://licensing.dev/problems/unknown-policy"));
        as(admin()).body(Map.of("customerId", java.util.UUID.randomUUID().toString(), "policyId", f.policyId()))
                .post("/v1/licenses").then().statusCode(404);
        as(admin()).body(Map.of("customerId", f.customerId(), "policyId", f.policyId(), "productCode", "other"))
                .post("/v1/licenses").then().statusCode(422)
                .body("type", is("https://licensing.dev/problems/product-mismatch"));
    }

    @Test
    void theLicenseAnswerListsTheActivatedMachinesAsTheValidatorRecordedThem() {
        Api.Fixture f = Api.fixture();
        String id = f.issue(Map.of()).getString("licenseId");
        // The validator's own write: the activations map of the item (fingerprint -> activated, last seen).
        java.time.Instant activated = java.time.Instant.parse("2026-11-01T10:00:00Z");
        java.time.Instant seen = java.time.Instant.parse("2026-11-30T08:15:00Z");
        // The oldest machine sorts last by name, so the answer's order is the activation order, not the names'.
        Map<String, AttributeValue> machines = org.licensing.store.LicenseItems.activationsToMap(Map.of(
                "node-b", new org.licensing.store.Activation("node-b", activated.plusSeconds(60), seen),
                "node-z", new org.licensing.store.Activation("node-z", activated, activated)));
        LocalBackends.shared().dynamoDbClient().updateItem(b -> b.tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(LicenseTable.licensePk(id))))
                .updateExpression("SET #a = :a")
                .expressionAttributeNames(Map.of("#a", LicenseTable.ACTIVATIONS))
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromM(machines))));

        as(admin()).get("/v1/licenses/" + id).then().statusCode(200)
                .body("activations", is(2))
                .body("activationDetails.fingerprint", contains("node-z", "node-b"))
                .body("activationDetails[0].activatedAt", is("2026-11-01T10:00:00Z"))
                .body("activationDetails[1].lastSeenAt", is("2026-11-30T08:15:00Z"));
        // Other answers (and the audit events, which store the same view) carry the count only.
        as(admin()).get("/v1/licenses?customerId=" + f.customerId()).then().statusCode(200)
                .body("items[0].activationDetails", nullValue());
    }
}
