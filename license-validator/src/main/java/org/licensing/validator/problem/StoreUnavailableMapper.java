package org.licensing.validator.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.licensing.validator.license.StoreUnavailableException;

/**
 * 503 problem+json for DynamoDB outages, without a log line per request: {@code StoreHealth} logs one line when
 * DynamoDB stops answering and one when it is back (an outage under load would otherwise log thousands of
 * stack traces per second).
 */
public class StoreUnavailableMapper {

    @ServerExceptionMapper
    public Response map(StoreUnavailableException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.BASE + "store-unavailable");
        body.put("title", "License store unavailable");
        body.put("status", 503);
        body.put("detail", "Licenses cannot be read right now. Retry shortly; offline receipts stay valid until their"
                + " lease ends.");
        return Response.status(503).type("application/problem+json").header("Retry-After", 5).entity(body).build();
    }
}
