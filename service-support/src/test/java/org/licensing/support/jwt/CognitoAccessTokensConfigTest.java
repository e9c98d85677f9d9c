package org.licensing.support.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The mode as the prod pods configure it: application.properties sets an audience, the pod's environment (a
 * ConfigMap) empties it and names the client. Config sources as SmallRye Config orders them (env 300 over the
 * application's 250).
 */
class CognitoAccessTokensConfigTest {

    private static final Map<String, String> APPLICATION = Map.of("mp.jwt.verify.audiences", "license-issuer");

    private static Config config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(APPLICATION, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300)).build();
    }

    @Test
    void offWithoutClientIds() {
        assertTrue(CognitoAccessTokens.fromConfig(config(Map.of())).isEmpty());
        assertTrue(CognitoAccessTokens.fromConfig(config(Map.of("MP_JWT_VERIFY_AUDIENCES", ""))).isEmpty());
    }

    @Test
    void anEmptyEnvironmentVariableUnsetsTheAudience() {
        var mode = CognitoAccessTokens.fromConfig(config(Map.of("MP_JWT_VERIFY_AUDIENCES", "",
                "LICENSING_JWT_COGNITO_CLIENT_IDS", "client-a,client-b")));
        assertEquals(Set.of("client-a", "client-b"), mode.orElseThrow().clientIds());
    }

    @Test
    void clientIdsWithAnAudienceStillSetRefuseToStart() {
        var e = assertThrows(IllegalStateException.class, () -> CognitoAccessTokens.fromConfig(
                config(Map.of("LICENSING_JWT_COGNITO_CLIENT_IDS", "client-a"))));
        assertTrue(e.getMessage().contains("MP_JWT_VERIFY_AUDIENCES"), e.getMessage());
    }
}
