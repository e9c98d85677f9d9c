package org.licensing.notification.security;

import java.net.URI;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 as problem+json. quarkus-resteasy-problem 3.21.0's own 401 mappers (priority 4999) read a field Quarkus
 * 3.33 no longer has ({@code ChallengeData.headerName}: NoSuchFieldError, then a 500), so these run first.
 */
public class UnauthorizedProblems {

    static final URI UNAUTHORIZED = URI.create("https://licensing.dev/problems/unauthorized");

    @ServerExceptionMapper(value = { UnauthorizedException.class, AuthenticationFailedException.class },
            priority = 4000)
    public Response unauthorized(RuntimeException e) {
        return HttpProblem.builder()
                .withType(UNAUTHORIZED)
                .withStatus(401)
                .withTitle("Unauthorized")
                .withDetail("A valid bearer token is required")
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build()
                .toResponse();
    }
}
