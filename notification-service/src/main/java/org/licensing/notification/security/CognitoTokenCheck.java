package org.licensing.notification.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.licensing.support.jwt.CognitoAccessTokens;
import org.licensing.support.jwt.CognitoConfig;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Cognito access tokens (prod, {@code licensing.jwt.cognito.client-ids} set): the client and token-use check in place
 * of {@code aud}, the user name as the principal (README "Security"). Off: every identity passes unchanged. At start-up, so a
 * contradictory configuration (client ids and an audience) stops the service instead of refusing every call.
 */
@Startup
@ApplicationScoped
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
