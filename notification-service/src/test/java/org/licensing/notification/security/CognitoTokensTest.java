package org.licensing.notification.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.support.jwt.CognitoAccessTokens;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service under the prod Cognito configuration (the k8s prod overlay's settings, the roles mapping from the one
 * file the back office reads too): Cognito-shaped access tokens, i.e. no {@code aud}, {@code client_id},
 * {@code token_use=access}, the group in {@code cognito:groups}, the user in {@code username}.
 */
@ServiceTest
@TestProfile(CognitoTokensTest.Cognito.class)
@WithTestResource(SesProxyResource.class)
class CognitoTokensTest {

    static final String CLIENT = "4k7hq2m9rj1t8b3n5c6d0e2f4g";
    static final Path ROLES = Path.of("../k8s/overlays/prod/back-office-roles.properties");
    private static final String PROBLEM = "application/problem+json";

    public static class Cognito implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put(CognitoAccessTokens.AUDIENCES, "");
            config.put(CognitoAccessTokens.CLIENT_IDS, CLIENT);
            config.put("smallrye.jwt.path.groups", "cognito:groups");
            Properties roles = new Properties();
            try (Reader in = Files.newBufferedReader(ROLES)) {
                roles.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("the prod roles mapping " + ROLES.toAbsolutePath() + " is unreadable", e);
            }
            roles.stringPropertyNames().forEach(name -> config.put(name, roles.getProperty(name)));
            if (!config.containsKey("quarkus.http.auth.roles-mapping.viewer")) {
                throw new IllegalStateException(ROLES + " maps no viewer group");
            }
            return config;
        }
    }

    /** A Cognito access token (the claims the user pool writes) for one user and group. */
    static Map<String, Object> access(String username, String group) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", TestTokens.ISSUER);
        claims.put("sub", UUID.randomUUID().toString());
        claims.put("client_id", CLIENT);
        claims.put("token_use", "access");
        claims.put("scope", "openid email profile");
        claims.put("auth_time", now);
        claims.put("iat", now);
        claims.put("exp", now + 900);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("cognito:groups", List.of(group));
        claims.put("username", username);
        return claims;
    }

    static String token(Map<String, Object> claims) {
        return TestTokens.shared().sign(claims);
    }

    /** 400 (the body is refused) when the caller may redrive, 403 when not: nothing is moved either way. */
    private static int redriveNothing(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"max\": 0}")
                .post("/v1/reminders/dead-letters/redrive").then().extract().statusCode();
    }

    @Test
    void groupsMapOntoTheApiRoles() {
        for (String group : List.of("viewer", "operator", "admin", "finance")) {
            given().auth().oauth2(token(access("u-" + group, group))).get("/v1/reminders/dead-letters").then()
                    .statusCode(200).body("depth", notNullValue());
        }
        given().auth().oauth2(token(access("victor.viewer", "viewer")))
                .get("/v1/licenses/" + UUID.randomUUID() + "/reminders").then().statusCode(404);
        assertEquals(403, redriveNothing(token(access("victor.viewer", "viewer"))), "viewer: no reminders:run");
        assertEquals(403, redriveNothing(token(access("olivia.operator", "operator"))), "operator: no reminders:run");
        assertEquals(400, redriveNothing(token(access("ada.admin", "admin"))), "admin: reminders:run");
        assertEquals(400, redriveNothing(token(access("fin.finance", "finance"))), "finance: reminders:run");
    }

    @Test
    void anotherClientAnIdTokenOrNoClientIs401() {
        Map<String, Object> otherClient = access("ada.admin", "admin");
        otherClient.put("client_id", "another-app-client");
        // An ID token of the same pool: aud = the client, token_use = id, no client_id.
        Map<String, Object> idToken = access("ada.admin", "admin");
        idToken.remove("client_id");
        idToken.put("aud", CLIENT);
        idToken.put("token_use", "id");
        Map<String, Object> noClient = access("ada.admin", "admin");
        noClient.remove("client_id");
        Map<String, Object> noUser = access("ada.admin", "admin");
        noUser.remove("username");
        for (Map<String, Object> claims : List.of(otherClient, idToken, noClient, noUser)) {
            given().auth().oauth2(token(claims)).get("/v1/reminders/dead-letters").then().statusCode(401)
                    .contentType(PROBLEM).body("type", is("https://licensing.dev/problems/unauthorized"));
        }
        // A token of the local shape (aud + groups, no client_id) is not accepted in this mode.
        given().auth().oauth2(NotificationTokens.token(Roles.REMINDERS_RUN)).get("/v1/reminders/dead-letters")
                .then().statusCode(401);
        given().auth().oauth2(token(access("ada.admin", "admin"))).get("/v1/reminders/dead-letters").then()
                .statusCode(200);
    }
}
