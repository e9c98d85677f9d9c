package org.licensing.issuer.openapi;

/**
 * Names in this service's OpenAPI document (see {@code package-info.java} for the definition itself): the security
 * scheme, the problem media type and schemas, and the shared responses, referenced from the resources as in
 * {@code @APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)}. Examples live in {@link Examples}.
 */
public final class IssuerOpenApi {

    /** The security scheme every operation but the JWKS requires. */
    public static final String JWT = "jwt";

    /** RFC 9457 problem details: every 4xx and 5xx answer. */
    public static final String PROBLEM = "application/problem+json";

    /** The problem schemas quarkus-resteasy-problem contributes. */
    public static final String PROBLEM_SCHEMA = "HttpProblem";
    public static final String VALIDATION_PROBLEM_SCHEMA = "HttpValidationProblem";

    /** Shared responses, by component name. */
    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    /** 404 of an operation on one license. */
    public static final String LICENSE_NOT_FOUND = "LicenseNotFound";
    /** 404 of an operation on one webhook endpoint. */
    public static final String WEBHOOK_ENDPOINT_NOT_FOUND = "WebhookEndpointNotFound";
    /** 409 of a license change: stale version, a status the change does not apply to, or its key in progress. */
    public static final String CHANGE_CONFLICT = "ChangeConflict";
    /** 409 of a POST whose only conflict is its Idempotency-Key still running. */
    public static final String IDEMPOTENCY_IN_PROGRESS = "IdempotencyInProgress";
    /** 422 of a POST whose only unprocessable case is its Idempotency-Key (another body, or an unreadable answer). */
    public static final String IDEMPOTENCY_KEY_REUSED = "IdempotencyKeyReused";

    private IssuerOpenApi() {
    }
}
