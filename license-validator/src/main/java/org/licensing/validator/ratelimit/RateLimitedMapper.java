package org.licensing.validator.ratelimit;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/** 429 {@code rate-limited} with {@code Retry-After}, for a key or client over its limit. */
public class RateLimitedMapper {

    @ServerExceptionMapper
    public Response map(RateLimitedException e) {
        return Problems.builder(ProblemType.RATE_LIMITED,
                        e.getMessage() + " Retry after " + e.retryAfterSeconds() + " s.")
                .withHeader("Retry-After", e.retryAfterSeconds())
                .build()
                .toResponse();
    }
}
