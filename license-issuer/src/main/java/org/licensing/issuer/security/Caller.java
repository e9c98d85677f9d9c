package org.licensing.issuer.security;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.licensing.support.jwt.CognitoAccessTokens;
import org.licensing.support.problem.Problems;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.json.JsonString;

/**
 * Who is calling: the stable subject (the idempotency scope), the user name (the audit actor) and, for portal
 * users, the one customer they may see. Back-office tokens carry no {@code customer_id} claim and see every
 * customer. A token that has the claim but no customer in it (blank, null, not a string) is refused as invalid (401):
 * read as "no claim" it would see every customer. {@link PortalClaimCheck} applies the same rule to every
 * authenticated request.
 */
@RequestScoped
public class Caller {

    public static final String CUSTOMER_CLAIM = "customer_id";
    static final String PREFERRED_USERNAME_CLAIM = "preferred_username";

    private final JsonWebToken jwt;
    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    public Caller(JsonWebToken jwt, SecurityIdentity identity, HttpServerRequest request) {
        this.jwt = jwt;
        this.identity = identity;
        this.request = request;
    }

    /**
     * Who the caller is, stably: the token's {@code sub}, which the IdP never gives another person (Keycloak's user id,
     * a Cognito user's UUID, a client's id). Idempotency keys are scoped by it. Never a user name: names change and
     * are given to others, and a key scoped by a name would replay one person's stored answer to another.
     */
    public String subject() {
        String sub = jwt.getSubject();
        return sub == null ? jwt.getName() : sub;
    }

    /**
     * The name the audit log records: the user name people know (Keycloak's {@code preferred_username}, a Cognito
     * token's user name), else the subject. An IdP's subject is an opaque id that says nothing to a reader of the log.
     */
    public String actor() {
        String cognitoUser = identity.getAttribute(CognitoAccessTokens.ACTOR_ATTRIBUTE);
        if (cognitoUser != null) {
            return cognitoUser;
        }
        Object preferred = jwt.getClaim(PREFERRED_USERNAME_CLAIM);
        String name = preferred instanceof JsonString js ? js.getString()
                : preferred instanceof String str ? str : null;
        return name != null && !name.isBlank() ? name : subject();
    }

    /** The customer a portal token is scoped to; empty for back-office tokens. */
    public Optional<String> customerScope() {
        return customerScope(jwt);
    }

    /**
     * The customer {@code token} is scoped to: empty when it has no {@code customer_id} claim at all.
     *
     * @throws AuthenticationFailedException (401) when the claim is there but names no customer
     */
    public static Optional<String> customerScope(JsonWebToken token) {
        if (token.getClaimNames() == null || !token.getClaimNames().contains(CUSTOMER_CLAIM)) {
            return Optional.empty();
        }
        Object claim = token.getClaim(CUSTOMER_CLAIM);
        String value = claim instanceof JsonString json ? json.getString()
                : claim instanceof String text ? text : null;
        if (value == null || value.isBlank()) {
            throw new AuthenticationFailedException("the " + CUSTOMER_CLAIM + " claim names no customer");
        }
        return Optional.of(value);
    }

    public boolean isPortal() {
        return customerScope().isPresent();
    }

    /** Whether this caller may see data of {@code customerId}. */
    public boolean canSee(String customerId) {
        return customerScope().map(c -> c.equals(customerId)).orElse(true);
    }

    /** Catalog management is for back-office tokens only. */
    public void requireBackOffice() {
        if (isPortal()) {
            throw Problems.forbidden("Portal tokens cannot do this: back-office tokens only");
        }
    }

    public String clientAddress() {
        try {
            return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
