package org.licensing.validator.openapi;

/**
 * The names this service's OpenAPI annotations share: the problem media type and schema, and the problem answers
 * several operations give, declared once as components in {@code package-info.java} (SmallRye reads
 * {@code @OpenAPIDefinition} only on a package or a JAX-RS {@code Application}) and referenced by name, e.g.
 * {@code @APIResponse(responseCode = "429", ref = ValidatorOpenApi.RATE_LIMITED)}. Examples live in {@link Examples}.
 */
public final class ValidatorOpenApi {

    /** RFC 9457 problem details: every 4xx and 5xx answer. */
    public static final String PROBLEM = "application/problem+json";

    /** The problem schema quarkus-resteasy-problem contributes. */
    public static final String PROBLEM_SCHEMA = "HttpProblem";

    /** Shared responses, by component name. */
    public static final String BAD_KEY_OR_BODY = "BadKeyOrBody";
    public static final String BAD_KEY_OR_FINGERPRINT = "BadKeyOrFingerprint";
    public static final String MACHINE_NOT_ACTIVE = "MachineNotActive";
    public static final String RATE_LIMITED = "RateLimited";
    public static final String STORE_UNAVAILABLE = "StoreUnavailable";
    public static final String STORE_UNAVAILABLE_OR_BUSY = "StoreUnavailableOrBusy";

    private ValidatorOpenApi() {
    }
}
