package org.licensing.issuer.webhook;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

/**
 * Every change of a webhook endpoint is an audit event in {@code GET /v1/audit-events}, with the endpoint's view
 * before and after, and never a secret.
 */
@ServiceTest
class WebhookEndpointAuditTest {

    private static final String URL = "http://127.0.0.2:9/hooks";

    @Test
    void everyChangeOfAnEndpointIsAuditedWithoutItsSecret() {
        JsonPath created = as(admin()).body(Map.of("url", URL, "description", "CRM")).post("/v1/webhook-endpoints")
                .then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("secret");
        String path = "/v1/webhook-endpoints/" + id;
        as(admin()).body(Map.of("description", "CRM (billing)")).patch(path).then().statusCode(200);
        as(admin()).body(Map.of("enabled", false)).patch(path).then().statusCode(200);
        as(admin()).body(Map.of("enabled", true)).patch(path).then().statusCode(200);
        String rotated = as(admin()).body(Map.of("overlap", "PT1H")).post(path + "/rotate-secret").then()
                .statusCode(200).extract().path("secret");
        as(admin()).delete(path).then().statusCode(204);

        String body = as(admin()).queryParam("targetType", "WEBHOOK_ENDPOINT").queryParam("targetId", id)
                .get("/v1/audit-events").then().statusCode(200).extract().asString();
        JsonPath events = JsonPath.from(body);
        assertEquals(List.of("WEBHOOK_ENDPOINT_DELETED", "WEBHOOK_ENDPOINT_SECRET_ROTATED",
                "WEBHOOK_ENDPOINT_ENABLED", "WEBHOOK_ENDPOINT_DISABLED", "WEBHOOK_ENDPOINT_UPDATED",
                "WEBHOOK_ENDPOINT_CREATED"), events.getList("action"));
        assertEquals(List.of("COMMITTED"), events.getList("outcome").stream().distinct().toList());
        assertEquals(List.of("admin@vendor.example"), events.getList("actor").stream().distinct().toList());
        assertEquals(URL, events.getString("find { it.action == 'WEBHOOK_ENDPOINT_CREATED' }.after.url"));
        assertNull(events.get("find { it.action == 'WEBHOOK_ENDPOINT_CREATED' }.before"));
        assertEquals("CRM (billing)", events.getString("find { it.action == 'WEBHOOK_ENDPOINT_UPDATED' }.after"
                + ".description"));
        assertEquals("disabled by an operator", events.getString(
                "find { it.action == 'WEBHOOK_ENDPOINT_DISABLED' }.after.disabledReason"));
        assertEquals("overlap PT1H", events.getString("find { it.action == 'WEBHOOK_ENDPOINT_SECRET_ROTATED' }.reason"));
        assertNotNull(events.get("find { it.action == 'WEBHOOK_ENDPOINT_SECRET_ROTATED' }.after.previousSecretUntil"));
        assertEquals(id, events.getString("find { it.action == 'WEBHOOK_ENDPOINT_DELETED' }.before.id"));
        assertFalse(body.contains(secret) || body.contains(rotated) || body.contains("whsec_"), body);

        // the events of endpoints are not published: they configure the delivery, they are no licensing data
        as(admin()).queryParam("subjectType", "webhook-endpoint").get("/v1/events").then().statusCode(400);
        // portal tokens see no endpoint's history
        as(portal(java.util.UUID.randomUUID().toString())).queryParam("targetType", "WEBHOOK_ENDPOINT")
                .get("/v1/audit-events").then().statusCode(400).body("detail", is("licenseId is required"));
    }
}
