package org.licensing.notification.openapi;

/**
 * The names this service's OpenAPI annotations share: tags, the security scheme, the problem media type and schema,
 * the shared responses. The document's top (info, server, tags, security scheme, shared responses) is declared on
 * this package ({@code package-info.java}: SmallRye reads {@code @OpenAPIDefinition} only there or on a JAX-RS
 * {@code Application}); examples live in {@link Examples}. The build lints the document
 * (service-support/openapi/lint.sh).
 */
public final class NotificationOpenApi {

    /** The security scheme every operation requires. */
    public static final String JWT = "jwt";

    public static final String TAG_REMINDERS = "reminders";
    public static final String TAG_DEAD_LETTERS = "dead-letters";

    /** RFC 9457 problem details: every 4xx and 5xx answer. */
    public static final String PROBLEM = "application/problem+json";

    /** The problem schema quarkus-resteasy-problem contributes. */
    public static final String PROBLEM_SCHEMA = "HttpProblem";

    /** Shared responses, by component name. */
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    /** 400 of the operations that take a date (runs, digests). */
    public static final String INVALID_DATE = "InvalidDate";

    private NotificationOpenApi() {
    }
}
