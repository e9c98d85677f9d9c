package org.licensing.relay.http;

import java.net.URI;
import java.util.Locale;

/**
 * Every problem type the relay answers with. The types share the services' base URI and, where the meaning is the
 * same, their slugs ({@code invalid-request}, {@code too-many-activations}...); the relay adds its own
 * ({@code relay-not-serving}, {@code pool-exhausted}, ...). Clients switch on the type URI, never on title or detail.
 */
public enum RelayProblemType {
    INVALID_REQUEST(400, "Invalid request"),
    MALFORMED_REQUEST_BODY(400, "Malformed request body"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    LEASE_NOT_FOUND(404, "Lease not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    POOL_EXHAUSTED(409, "Pool exhausted"),
    TOO_MANY_ACTIVATIONS(409, "Activation limit reached"),
    REPORT_OUT_OF_SEQUENCE(409, "Report out of sequence"),
    PAYLOAD_TOO_LARGE(413, "Content too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    CHECKOUT_REJECTED(422, "Checkout rejected"),
    INTERNAL_ERROR(500, "Internal error"),
    RELAY_NOT_SERVING(503, "Relay not serving"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    public static final String BASE = "https://licensing.dev/problems/";

    private final int status;
    private final String title;
    private final URI uri;

    RelayProblemType(int status, String title) {
        this.status = status;
        this.title = title;
        this.uri = URI.create(BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return uri;
    }

    /** The generic type for a status the framework answered on its own. */
    public static RelayProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
