package org.licensing.support.problem;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkiverse.resteasy.problem.ExceptionMapperBase;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemPostProcessor;
import io.quarkus.runtime.StartupEvent;
import org.licensing.core.problem.ProblemType;

/**
 * Gives every problem the library produces on its own (bean validation, malformed JSON, 404/405/406/415/5xx) a
 * type and title from {@link ProblemType}, so clients never see {@code about:blank} or a bare reason phrase.
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
        ProblemType type = typeOf(problem.getStatusCode(), context.cause);
        return HttpProblem.builder(problem).withType(type.uri()).withTitle(type.title()).build();
    }

    static ProblemType typeOf(int status, Throwable cause) {
        if (status == 400 && cause instanceof ConstraintViolationException) {
            return ProblemType.INVALID_REQUEST;
        }
        if (status == 400 && cause instanceof JsonProcessingException) {
            return ProblemType.MALFORMED_REQUEST_BODY;
        }
        return ProblemType.forStatus(status);
    }

    @Override
    public int priority() {
        return 50;
    }
}
