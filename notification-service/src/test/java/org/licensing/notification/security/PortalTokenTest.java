package org.licensing.notification.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A customer portal token ({@code customer_id} claim) is refused on every endpoint, whatever roles it carries: the
 * reminders and the dead-letter queue span every customer, and this service has no customer scope to apply.
 */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class PortalTokenTest {

    private static final String UNAUTHORIZED = "https://licensing.dev/problems/unauthorized";

    static String portalToken() {
        return TestTokens.shared().builder().audience(NotificationTokens.AUDIENCE)
                .roles(Roles.REMINDERS_READ, Roles.REMINDERS_RUN).customer(UUID.randomUUID().toString()).sign();
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void portalTokenIsRefusedEverywhere() {
        String portal = portalToken();
        as(portal).get("/v1/licenses/{id}/reminders", UUID.randomUUID().toString()).then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo(UNAUTHORIZED));
        as(portal).get("/v1/reminders/dead-letters").then().statusCode(401).body("type", equalTo(UNAUTHORIZED));
        as(portal).body("{\"max\":1}").post("/v1/reminders/dead-letters/redrive").then().statusCode(401)
                .body("type", equalTo(UNAUTHORIZED));
        as(portal).body("{}").post("/v1/reminders/runs").then().statusCode(401).body("type", equalTo(UNAUTHORIZED));
        as(portal).body("{}").post("/v1/reminders/digests").then().statusCode(401).body("type", equalTo(UNAUTHORIZED));
    }

    @Test
    void aBlankCustomerClaimIsRefusedToo() {
        String blank = TestTokens.shared().builder().audience(NotificationTokens.AUDIENCE)
                .roles(Roles.REMINDERS_READ).customer("").sign();
        as(blank).get("/v1/reminders/dead-letters").then().statusCode(401);
    }

    @Test
    void theSameRolesWithoutTheClaimPass() {
        as(NotificationTokens.token(Roles.REMINDERS_READ)).get("/v1/reminders/dead-letters").then().statusCode(200);
    }
}
