package org.licensing.validator.license;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/**
 * 503 {@code store-unavailable} with {@code Retry-After}, without a log line per request: {@link StoreHealth} logs
 * one line when DynamoDB stops answering and one when it is back (an outage under load would otherwise log
 * thousands of stack traces per second).
 */
public class StoreUnavailableMapper {

    /** Seconds a client waits before retrying. */
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response map(StoreUnavailableException e) {
        return Problems.builder(ProblemType.STORE_UNAVAILABLE, "Licenses cannot be read right now. Retry shortly;"
                        + " offline receipts stay valid until their lease ends.")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                .build()
                .toResponse();
    }
}
