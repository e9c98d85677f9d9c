package org.licensing.relay.openapi;

import org.licensing.core.problem.ProblemType;

/**
 * Names the relay's OpenAPI annotations share: the problem media type and schema, the shared problem answers
 * (built once by {@link RelayOpenApiModel}) and the admin security scheme.
 */
public final class RelayOpenApi {

    public static final String PROBLEM = ProblemType.MEDIA_TYPE;
    public static final String PROBLEM_SCHEMA = "HttpProblem";
    public static final String ADMIN_TOKEN = "adminToken";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String NOT_SERVING = "NotServing";
    public static final String ADMIN_REFUSED = "AdminRefused";
    public static final String ADMIN_CLOSED = "AdminClosed";

    private RelayOpenApi() {
    }
}
