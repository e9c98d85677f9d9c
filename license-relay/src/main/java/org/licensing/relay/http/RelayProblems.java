package org.licensing.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkiverse.resteasy.problem.ExceptionMapperBase;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemPostProcessor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.licensing.core.problem.ProblemType;
import org.licensing.relay.engine.LeaseNotFoundException;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelayUnavailableException;
import org.licensing.relay.pool.PoolRefusal;
import org.licensing.relay.usage.ReportSequenceException;

/**
 * The relay's problem+json answers (RFC 9457): domain exceptions mapped to {@link ProblemType}s, and a type
 * and title for every problem the framework answers on its own (malformed JSON, 404, 405...).
 */
@Singleton
public class RelayProblems implements ProblemPostProcessor {

    /** Seconds a node waits before asking a relay that does not serve again. */
    static final int RETRY_AFTER_SECONDS = 30;

    public static HttpProblem.Builder builder(ProblemType type, String detail) {
        return HttpProblem.builder().withStatus(type.status()).withType(type.uri()).withTitle(type.title())
                .withDetail(detail);
    }

    public static HttpProblem of(ProblemType type, String detail) {
        return builder(type, detail).build();
    }

    void register(@Observes StartupEvent event) {
        ExceptionMapperBase.postProcessorsRegistry.register(this);
    }

    @Override
    public HttpProblem apply(HttpProblem problem, ProblemContext context) {
        if (problem.getType() != null) {
            return problem;
        }
        ProblemType type = problem.getStatusCode() == 400 && context.cause instanceof JsonProcessingException
                ? ProblemType.MALFORMED_REQUEST_BODY
                : problem.getStatusCode() == 400 && context.cause instanceof ConstraintViolationException
                        ? ProblemType.INVALID_REQUEST
                        : ProblemType.forStatus(problem.getStatusCode());
        return HttpProblem.builder(problem).withType(type.uri()).withTitle(type.title()).build();
    }

    @Override
    public int priority() {
        return 50;
    }

    @ServerExceptionMapper
    public Response notServing(RelayUnavailableException e) {
        return builder(ProblemType.RELAY_NOT_SERVING, e.status().message())
                .with("reason", e.status().code().name())
                .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                .build().toResponse();
    }

    @ServerExceptionMapper
    public Response refused(PoolRefusal e) {
        ProblemType type = e.kind() == PoolRefusal.Kind.TOO_MANY_NODES ? ProblemType.TOO_MANY_ACTIVATIONS
                : ProblemType.POOL_EXHAUSTED;
        return builder(type, e.getMessage())
                .with("quantity", e.quantity())
                .with("requested", e.requested().toPlainString())
                .with("available", e.available().toPlainString())
                .with("limit", e.limit().toPlainString())
                .build().toResponse();
    }

    @ServerExceptionMapper
    public Response leaseNotFound(LeaseNotFoundException e) {
        return of(ProblemType.LEASE_NOT_FOUND, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response outOfSequence(ReportSequenceException e) {
        return of(e.type(), e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response checkoutRejected(Relay.CheckoutRejectedException e) {
        return builder(ProblemType.CHECKOUT_REJECTED, e.status().message())
                .with("reason", e.status().code().name()).build().toResponse();
    }
}
