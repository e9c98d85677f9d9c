package org.licensing.notification.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.licensing.testsupport.CognitoTokens.access;
import static org.licensing.testsupport.CognitoTokens.token;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.CognitoTokens;
import org.licensing.testsupport.ServiceTest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service under the prod Cognito configuration (test-support's {@link CognitoTokens}: the k8s prod overlay's
 * settings, the roles mapping from the one file the back office reads too): the groups map onto this service's
 * roles, and service-support's {@code CognitoTokenCheck} guards it (its refusals one by one are the issuer's
 * {@code CognitoTokensTest}).
 */
@ServiceTest
@TestProfile(CognitoTokens.ProdProfile.class)
@WithTestResource(SesProxyResource.class)
class CognitoTokensTest {

    private static final String PROBLEM = "application/problem+json";

    /** 400 (the body is refused) when the caller may redrive, 403 when not: nothing is moved either way. */
    private static int redriveNothing(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"max\": 0}")
                .post("/v1/reminders/dead-letters/redrive").then().extract().statusCode();
    }

    @Test
    void groupsMapOntoTheApiRoles() {
        for (String group : List.of("viewer", "operator", "admin", "finance")) {
            given().auth().oauth2(token("u-" + group, group)).get("/v1/reminders/dead-letters").then()
                    .statusCode(200).body("depth", notNullValue());
        }
        given().auth().oauth2(token("victor.viewer", "viewer"))
                .get("/v1/licenses/" + UUID.randomUUID() + "/reminders").then().statusCode(404);
        assertEquals(403, redriveNothing(token("victor.viewer", "viewer")), "viewer: no reminders:run");
        assertEquals(403, redriveNothing(token("olivia.operator", "operator")), "operator: no reminders:run");
        assertEquals(400, redriveNothing(token("ada.admin", "admin")), "admin: reminders:run");
        assertEquals(400, redriveNothing(token("fin.finance", "finance")), "finance: reminders:run");
    }

    @Test
    void theCognitoCheckGuardsThisServiceToo() {
        Map<String, Object> otherClient = access("ada.admin", "admin");
        otherClient.put("client_id", "another-app-client");
        given().auth().oauth2(token(otherClient)).get("/v1/reminders/dead-letters").then().statusCode(401)
                .contentType(PROBLEM).body("type", is("https://licensing.dev/problems/unauthorized"));
        // A token of the local shape (aud + groups, no client_id) is not accepted in this mode.
        given().auth().oauth2(NotificationTokens.token(Roles.REMINDERS_RUN)).get("/v1/reminders/dead-letters")
                .then().statusCode(401);
        given().auth().oauth2(token("ada.admin", "admin")).get("/v1/reminders/dead-letters").then()
                .statusCode(200);
    }
}
