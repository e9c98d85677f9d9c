package org.licensing.issuer.problem;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkiverse.resteasy.problem.ExceptionMapperBase;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemPostProcessor;
import io.quarkus.runtime.StartupEvent;
import jakarta.validation.ConstraintViolationException;

/**
 * Gives every problem the library produces on its own (validation, malformed JSON, 401/403/404/405/5xx) a stable
 * {@code type}, so clients never see {@code about:blank}.
 */
@Singleton
public class ProblemTypes implements ProblemPostProcessor {

    void register(@Observes StartupEvent event) {
        ExceptionMapperBase.postProcessorsRegistry.register(this);
    }

    @Override
    public HttpProblem apply(HttpProblem problem, ProblemContext context) {
        if (problem.getType() != null) {
            return problem;
        }
        return HttpProblem.builder(problem).withType(Problems.type(slug(problem.getStatusCode(), context.cause)))
                .build();
    }

    static String slug(int status, Throwable cause) {
        if (status == 400 && cause instanceof ConstraintViolationException) {
            return "invalid-request";
        }
        if (status == 400 && cause instanceof JsonProcessingException) {
            return "malformed-request-body";
        }
        return switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 503 -> "service-unavailable";
            default -> status >= 500 ? "internal-error" : "http-" + status;
        };
    }

    @Override
    public int priority() {
        return 50;
    }
}
