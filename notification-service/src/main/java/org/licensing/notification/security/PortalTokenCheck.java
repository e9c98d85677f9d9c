package org.licensing.notification.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (401) every token that carries a {@code customer_id} claim, whatever its value and roles: that claim makes
 * it a customer portal token (the issuer scopes such tokens to their customer), and this service has no customer
 * scope: its reminders and dead-letter queue span every customer. Only back-office tokens, which carry no such claim,
 * get through.
 */
@ApplicationScoped
public class PortalTokenCheck implements SecurityIdentityAugmentor {

    /** The claim of a portal token (the same name the issuer reads). */
    public static final String CUSTOMER_CLAIM = "customer_id";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getClaimNames() != null
                && token.getClaimNames().contains(CUSTOMER_CLAIM)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "a customer portal token (" + CUSTOMER_CLAIM + " claim) is not accepted by the notification service"));
        }
        return Uni.createFrom().item(identity);
    }
}
