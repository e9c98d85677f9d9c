package org.licensing.issuer.problem;

import java.net.URI;

import io.quarkiverse.resteasy.problem.HttpProblem;

/**
 * Every problem this service answers, with its stable {@code type} ({@value #BASE}{@code <slug>}). Clients
 * switch on the type, never on the title or detail.
 */
public final class Problems {

    public static final String BASE = "https://licensing.dev/problems/";

    private Problems() {
    }

    public static URI type(String slug) {
        return URI.create(BASE + slug);
    }

    public static HttpProblem of(int status, String slug, String title, String detail) {
        return HttpProblem.builder().withStatus(status).withType(type(slug)).withTitle(title).withDetail(detail)
                .build();
    }

    public static HttpProblem notFound(String what) {
        return of(404, "not-found", "Not Found", what + " was not found");
    }

    public static HttpProblem badRequest(String detail) {
        return of(400, "invalid-request", "Bad Request", detail);
    }

    public static HttpProblem staleVersion(String licenseId) {
        return of(409, "stale-version", "Conflict",
                "License " + licenseId + " was changed by someone else; read it again and retry with its version");
    }

    public static HttpProblem invalidTransition(String detail) {
        return of(409, "invalid-state-transition", "Conflict", detail);
    }

    public static HttpProblem conflict(String slug, String detail) {
        return of(409, slug, "Conflict", detail);
    }

    public static HttpProblem unprocessable(String slug, String detail) {
        return of(422, slug, "Unprocessable Content", detail);
    }

    public static HttpProblem forbidden(String detail) {
        return of(403, "forbidden", "Forbidden", detail);
    }
}
