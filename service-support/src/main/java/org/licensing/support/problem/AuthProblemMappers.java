package org.licensing.support.problem;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import org.licensing.core.problem.ProblemType;

/**
 * 401 as problem+json with {@code WWW-Authenticate: Bearer}. Replaces quarkus-resteasy-problem's own mappers for
 * these exceptions, which fail against Quarkus 3.33 ({@code NoSuchFieldError: headerName} while building the
 * challenge) and would answer 500. The body never says why a token was refused (expired, wrong issuer...): that is
 * logged, not told to the caller.
 */
public class AuthProblemMappers {

    @ServerExceptionMapper(value = {UnauthorizedException.class, AuthenticationFailedException.class,
        AuthenticationCompletionException.class}, priority = Priorities.USER - 100)
    public Response unauthorized(RuntimeException e) {
        return Problems.builder(ProblemType.UNAUTHORIZED,
                        "A valid bearer token (issuer, audience, expiry, signature) is required")
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build()
                .toResponse();
    }
}
