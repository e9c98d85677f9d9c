package org.licensing.issuer.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (401) a token whose {@code customer_id} claim names no customer, on every endpoint and not only on those
 * that ask {@link Caller} for the scope: such a token is neither a portal token nor a back-office one.
 */
@ApplicationScoped
public class PortalClaimCheck implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            return Uni.createFrom().item(() -> {
                Caller.customerScope(token);
                return identity;
            });
        }
        return Uni.createFrom().item(identity);
    }
}
