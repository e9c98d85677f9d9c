package org.licensing.issuer.security;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.licensing.support.problem.Problems;

import io.vertx.core.http.HttpServerRequest;

/**
 * Who is calling: the JWT subject (the audit actor) and, for portal users, the one customer they may see.
 * Back-office tokens carry no {@code customer_id} claim and see every customer.
 */
@RequestScoped
public class Caller {

    public static final String CUSTOMER_CLAIM = "customer_id";

    private final JsonWebToken jwt;
    private final HttpServerRequest request;

    public Caller(JsonWebToken jwt, HttpServerRequest request) {
        this.jwt = jwt;
        this.request = request;
    }

    public String subject() {
        String sub = jwt.getSubject();
        return sub == null ? jwt.getName() : sub;
    }

    /** The customer a portal token is scoped to; empty for back-office tokens. */
    public Optional<String> customerScope() {
        Object claim = jwt.getClaim(CUSTOMER_CLAIM);
        if (claim == null) {
            return Optional.empty();
        }
        String value = claim.toString();
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
            value = value.substring(1, value.length() - 1); // JsonString
        }
        return value.isBlank() ? Optional.empty() : Optional.of(value);
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
            throw Problems.forbidden("Portal tokens cannot manage the catalog");
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
