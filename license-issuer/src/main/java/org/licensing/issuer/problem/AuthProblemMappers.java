package org.licensing.issuer.problem;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 as problem+json. Replaces quarkus-resteasy-problem's own mappers for these exceptions, which fail against
 * Quarkus 3.33 ({@code NoSuchFieldError: headerName} while building the challenge) and would answer 500. The body
 * never says why a token was refused (expired, wrong issuer...): that is logged, not told to the caller.
 */
public class AuthProblemMappers {

    private static final String CHALLENGE = "Bearer";

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unauthorized(UnauthorizedException e) {
        return problem();
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response authenticationFailed(AuthenticationFailedException e) {
        return problem();
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response authenticationIncomplete(AuthenticationCompletionException e) {
        return problem();
    }

    private static Response problem() {
        Response r = Problems.of(401, "unauthorized", "Unauthorized",
                "A valid bearer token (issuer, audience, expiry, signature) is required").toResponse();
        return Response.fromResponse(r).header("WWW-Authenticate", CHALLENGE).build();
    }
}
