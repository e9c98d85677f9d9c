package org.licensing.issuer.support;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/**
 * Refuses bodies over {@value #MAX_BODY_BYTES} bytes with a 413 problem before they are read. The HTTP layer's own
 * limit ({@code quarkus.http.limits.max-body-size}) stays as a backstop for bodies without Content-Length.
 */
public class RequestLimits {

    public static final long MAX_BODY_BYTES = 64 * 1024;

    @ServerRequestFilter(preMatching = true)
    public void limitBody(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length == null) {
            return;
        }
        long n;
        try {
            n = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw Problems.badRequest("Content-Length is not a number");
        }
        if (n > MAX_BODY_BYTES) {
            throw Problems.of(ProblemType.PAYLOAD_TOO_LARGE, "Request bodies are limited to " + MAX_BODY_BYTES + " bytes");
        }
    }
}
