package org.licensing.support.jwt;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Cognito access tokens (prod, {@value CognitoAccessTokens#CLIENT_IDS} set): {@link CognitoAccessTokens}' client and
 * token-use check in place of {@code aud}, the user name as principal and actor. Unset: every identity passes
 * unchanged. Created at start-up, so a contradictory configuration (client ids and an audience) stops the service
 * instead of refusing every call.
 *
 * <p>A bean only in a service built with SmallRye JWT (the issuer, the notification service): the validator, which
 * authenticates no one and has no JWT classes, leaves it out at build time.
 */
@Startup
@ApplicationScoped
@IfBuildProperty(name = "quarkus.smallrye-jwt.enabled", stringValue = "true")
public class CognitoTokenCheck implements SecurityIdentityAugmentor {

    private final Optional<CognitoAccessTokens> cognito;

    public CognitoTokenCheck(CognitoConfig config) {
        this.cognito = CognitoAccessTokens.of(config.clientIds(), ConfigProvider.getConfig());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return cognito.map(check -> Uni.createFrom().item(() -> check.check(identity)))
                .orElseGet(() -> Uni.createFrom().item(identity));
    }
}
