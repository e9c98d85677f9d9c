package org.licensing.relay.openapi;

/**
 * Names the relay's OpenAPI annotations share: the problem media type and schema, the shared problem answers
 * (declared once in {@code package-info.java}) and the admin security scheme.
 */
public final class RelayOpenApi {

    public static final String PROBLEM = "application/problem+json";
    public static final String PROBLEM_SCHEMA = "HttpProblem";
    public static final String ADMIN_TOKEN = "adminToken";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String NOT_SERVING = "NotServing";
    public static final String ADMIN_REFUSED = "AdminRefused";
    public static final String ADMIN_CLOSED = "AdminClosed";

    public static final String NOT_SERVING_EXAMPLE = "{\"type\":\"https://licensing.dev/problems/relay-not-serving\","
            + "\"title\":\"Relay not serving\",\"status\":503,\"detail\":\"No checkout installed: carry"
            + " /var/lib/license-relay/checkout-request.json to the vendor and install the relay checkout they answer"
            + " at /var/lib/license-relay/checkout.jwe (or PUT /v1/admin/checkout)\",\"reason\":\"NO_CHECKOUT\"}";
    public static final String BAD_REQUEST_EXAMPLE = "{\"type\":\"https://licensing.dev/problems/invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"Quantity rocm.device is not licensed on this"
            + " site (licensed: cuda.device, cuda.shares)\"}";
    public static final String UNAUTHORIZED_EXAMPLE = "{\"type\":\"https://licensing.dev/problems/unauthorized\","
            + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Send the site's admin token as Authorization:"
            + " Bearer <token>\"}";
    public static final String FORBIDDEN_EXAMPLE = "{\"type\":\"https://licensing.dev/problems/forbidden\","
            + "\"title\":\"Forbidden\",\"status\":403,\"detail\":\"The admin API is closed: no admin token is"
            + " configured on this relay (licensing.relay.admin-token-file)\"}";

    private RelayOpenApi() {
    }
}
