package org.licensing.testsupport;

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

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A service under the prod Cognito configuration, for tests: the settings of the k8s prod overlay (no audience, the
 * one app client, groups from {@code cognito:groups}, the roles mapping from the one file the back office reads too)
 * and Cognito-shaped access tokens signed by {@link TestTokens}' trusted key.
 */
public final class CognitoTokens {

    /** The app client whose access tokens the configuration accepts. */
    public static final String CLIENT = "4k7hq2m9rj1t8b3n5c6d0e2f4g";
    /** The prod roles mapping (group to API roles), from a service module's directory. */
    public static final Path ROLES = Path.of("../k8s/overlays/prod/back-office-roles.properties");

    private CognitoTokens() {
    }

    /** The back office's groups, each of which {@link #ROLES} must map. */
    public static final List<String> GROUPS = List.of("viewer", "operator", "admin", "finance");

    /** A service's test profile of the prod Cognito mode: {@code @TestProfile(CognitoTokens.ProdProfile.class)}. */
    public static class ProdProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return prodConfig();
        }
    }

    /**
     * The Quarkus config of the prod Cognito mode: {@code licensing.jwt.cognito.client-ids} = {@link #CLIENT},
     * {@code mp.jwt.verify.audiences} empty, {@code smallrye.jwt.path.groups=cognito:groups}, and every
     * {@code quarkus.http.auth.roles-mapping.*} line of {@link #ROLES}, which must map each of {@link #GROUPS}.
     */
    public static Map<String, String> prodConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("mp.jwt.verify.audiences", "");
        config.put("licensing.jwt.cognito.client-ids", CLIENT);
        config.put("smallrye.jwt.path.groups", "cognito:groups");
        Properties roles = new Properties();
        try (Reader in = Files.newBufferedReader(ROLES)) {
            roles.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("the prod roles mapping " + ROLES.toAbsolutePath() + " is unreadable", e);
        }
        roles.stringPropertyNames().forEach(name -> config.put(name, roles.getProperty(name)));
        for (String group : GROUPS) {
            if (!config.containsKey("quarkus.http.auth.roles-mapping." + group)) {
                throw new IllegalStateException(ROLES + " maps no " + group + " group");
            }
        }
        return config;
    }

    /** A Cognito access token's claims (what the user pool writes), for one user and group; change them at will. */
    public static Map<String, Object> access(String username, String group) {
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
        claims.put("origin_jti", UUID.randomUUID().toString());
        claims.put("event_id", UUID.randomUUID().toString());
        claims.put("cognito:groups", List.of(group));
        claims.put("username", username);
        return claims;
    }

    /** {@code claims} signed with the trusted test key. */
    public static String token(Map<String, Object> claims) {
        return TestTokens.shared().sign(claims);
    }

    /** A signed access token of one user and group. */
    public static String token(String username, String group) {
        return token(access(username, group));
    }
}
