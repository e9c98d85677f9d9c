package org.licensing.validator.license;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.licensing.support.problem.ProblemType;

/**
 * 503 problem+json for DynamoDB outages, without a log line per request: {@code StoreHealth} logs one line when
 * DynamoDB stops answering and one when it is back (an outage under load would otherwise log thousands of
 * stack traces per second).
 */
public class StoreUnavailableMapper {

    @ServerExceptionMapper
    public Response map(StoreUnavailableException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemType.STORE_UNAVAILABLE.uri().toString());
        body.put("title", ProblemType.STORE_UNAVAILABLE.title());
        body.put("status", ProblemType.STORE_UNAVAILABLE.status());
        body.put("detail", "Licenses cannot be read right now. Retry shortly; offline receipts stay valid until their"
                + " lease ends.");
        return Response.status(503).type("application/problem+json").header("Retry-After", 5).entity(body).build();
    }
}
