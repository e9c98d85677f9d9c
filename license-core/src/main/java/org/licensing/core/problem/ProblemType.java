package org.licensing.core.problem;

import java.net.URI;
import java.util.Locale;

/**
 * Every problem type the services and the relay answer with: the one list (plain Java, so the relay, which carries no
 * AWS and no service-support, uses it too). A client switches on {@link #uri()} (for example
 * {@code https://licensing.dev/problems/stale-version}), never on the title or the detail. Adding a type is an API
 * change: document it in the README's list of the module that answers it.
 */
public enum ProblemType {
    // 400
    INVALID_REQUEST(400, "Invalid request"),
    MALFORMED_REQUEST_BODY(400, "Malformed request body"),
    MALFORMED_LICENSE_KEY(400, "Malformed license key"),
    INVALID_CURSOR(400, "Invalid cursor"),
    INVALID_DATE(400, "Invalid date"),
    INVALID_IDEMPOTENCY_KEY(400, "Invalid Idempotency-Key"),
    // 401, 403, 404
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    LICENSE_NOT_USABLE(403, "License cannot be used"),
    NOT_FOUND(404, "Not found"),
    LICENSE_NOT_FOUND(404, "License not found"),
    ACTIVATION_NOT_FOUND(404, "Machine not activated"),
    CHECKOUT_NOT_FOUND(404, "Checkout not found"),
    /** Relay: no live lease with this id for this node. */
    LEASE_NOT_FOUND(404, "Lease not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    // 409
    CONFLICT(409, "Conflict"),
    STALE_VERSION(409, "Stale version"),
    INVALID_STATE_TRANSITION(409, "Invalid state transition"),
    DUPLICATE_PRODUCT(409, "Duplicate product"),
    DUPLICATE_EXTERNAL_ID(409, "Duplicate external id"),
    DUPLICATE_CONTACT(409, "Duplicate contact"),
    IDEMPOTENCY_REQUEST_IN_PROGRESS(409, "Request in progress"),
    TOO_MANY_ACTIVATIONS(409, "Activation limit reached"),
    /** The license is suspended: no checkout, no license file. */
    LICENSE_SUSPENDED(409, "License suspended"),
    /** The license is revoked: no checkout, no license file. */
    LICENSE_REVOKED(409, "License revoked"),
    /** The seat is held by a checkout: only its return or its end frees it. */
    CHECKOUT_SEAT(409, "Seat held by a checkout"),
    /** The license's policy does not allow license files bound to no machine. */
    UNBOUND_FILES_DISABLED(409, "Unbound license files disabled"),
    /** A usage report whose number is not the next of its relay's chain, or that names another report before it. */
    USAGE_REPORT_OUT_OF_SEQUENCE(409, "Usage report out of sequence"),
    /** A usage report that starts after the last accepted one ended: a period reported nowhere. */
    USAGE_REPORT_GAP(409, "Usage report leaves a gap"),
    /** A usage report that starts before the last accepted one ended: a period reported twice. */
    USAGE_REPORT_OVERLAP(409, "Usage report overlaps"),
    /** The same usage report again, after it was accepted. */
    USAGE_REPORT_REPLAYED(409, "Usage report already received"),
    /** The policy requires the site's usage reports before its relay checkout is renewed. */
    USAGE_REPORT_REQUIRED(409, "Usage report required"),
    /** Relay: a quantity of the site's pool has no room (members quantity, requested, available, limit). */
    POOL_EXHAUSTED(409, "Pool exhausted"),
    // 410
    /** An event feed cursor older than what retention kept: events after it may be gone. */
    CURSOR_EXPIRED(410, "Cursor expired"),
    // 413, 415
    PAYLOAD_TOO_LARGE(413, "Content too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    // 422
    UNKNOWN_PRODUCT(422, "Unknown product"),
    UNKNOWN_POLICY(422, "Unknown policy"),
    PRODUCT_MISMATCH(422, "Product mismatch"),
    CUSTOMER_INACTIVE(422, "Customer inactive"),
    LICENSE_KEY_MISMATCH(422, "License key mismatch"),
    /** A checkout request for another license or product. */
    CHECKOUT_REQUEST_MISMATCH(422, "Checkout request mismatch"),
    /** A checkout return file that is not authentic or not for the checkout it names. */
    INVALID_CHECKOUT_RETURN(422, "Invalid checkout return"),
    /** A usage report whose signature does not verify with the relay key it names (altered or forged). */
    USAGE_REPORT_SIGNATURE_INVALID(422, "Usage report signature invalid"),
    /** A usage report for another license or product than the one it was sent to. */
    USAGE_REPORT_LICENSE_MISMATCH(422, "Usage report for another license"),
    /** A usage report signed by a relay key that no relay checkout of the license certifies. */
    RELAY_KEY_NOT_CERTIFIED(422, "Relay key not certified"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused"),
    /** The first answer stored for this Idempotency-Key can no longer be read (secret rotated): use a new key. */
    IDEMPOTENT_ANSWER_UNREADABLE(422, "Stored answer unreadable"),
    /** Relay: a checkout it does not verify or that is not for it (member reason). */
    CHECKOUT_REJECTED(422, "Checkout rejected"),
    // 429
    RATE_LIMITED(429, "Too many requests"),
    DEACTIVATION_LIMIT(429, "Deactivation limit reached"),
    // 5xx
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    STORE_UNAVAILABLE(503, "License store unavailable"),
    LICENSE_BUSY(503, "License busy"),
    /** Relay: no verified checkout in force, or its data directory cannot be used (member reason, Retry-After). */
    RELAY_NOT_SERVING(503, "Relay not serving");

    /** The media type of every problem body (RFC 9457). */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The base of every problem type URI. */
    public static final String BASE = "https://licensing.dev/problems/";

    private final int status;
    private final String title;
    private final String slug;
    private final URI uri;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
        this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.uri = URI.create(BASE + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The last path segment of the type, e.g. {@code stale-version}. */
    public String slug() {
        return slug;
    }

    public URI uri() {
        return uri;
    }

    /** The generic type for a status no service-specific problem covers (what a framework answered on its own). */
    public static ProblemType forStatus(int status) {
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
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
