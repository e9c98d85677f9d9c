package org.licensing.validator.openapi;

/**
 * Every example of this service's OpenAPI document, in one place: the annotations reference these constants, so the
 * resources and bodies carry no example text of their own. The examples tell one story (license
 * {@value #LICENSE_ID}, opened by key {@value #KEY}, machine {@value #FINGERPRINT}); keep them valid against their
 * schemas (the Redocly lint checks, {@code ExamplesTest} parses them) and the problem examples equal to what the
 * service answers. Problems thrown by the service also carry {@code instance} (the request path); the examples leave
 * it out because the problem extension's {@code HttpProblem} schema declares {@code instance} an absolute URI.
 */
public final class Examples {

    // --- Scalars (schema properties and parameters) ---

    /** A well-formed key (checksum included) for {@link #LICENSE_ID}; it opens no real license. */
    public static final String KEY = "LK1-FM7PN-3GC5D-6RX6S-TBWF2-TF2BB-85K0N-BTKZ2-EJ3HK-B1YT5-HZC24-V5Q05-5S8D4";
    public static final String AUTHORIZATION = "License " + KEY;
    public static final String LICENSE_ID = "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a";
    public static final String PRODUCT_CODE = "gpu-orchestrator";
    public static final String NONCE = "b7c1e9a2f04d4f0c";
    public static final String FINGERPRINT = "host-7f3a9c";
    public static final String USAGE = """
            {"cuda.device": 8, "cuda.shares": 12.5, "nodes": 2}""";
    public static final String CODE = "VALID";
    public static final String DETAIL = "License is valid.";
    public static final String LIMIT = "cuda.shares";
    public static final String ALLOWED = "20";
    public static final String ACTIVE_MACHINES = "3";
    public static final String MAX_ACTIVATIONS = "5";

    // --- Validation ---

    public static final String VALIDATE_REQUEST = """
            {"key": "LK1-FM7PN-3GC5D-6RX6S-TBWF2-TF2BB-85K0N-BTKZ2-EJ3HK-B1YT5-HZC24-V5Q05-5S8D4",
             "productCode": "gpu-orchestrator", "nonce": "b7c1e9a2f04d4f0c", "fingerprint": "host-7f3a9c",
             "usage": {"cuda.device": 8, "cuda.shares": 12.5}}""";

    public static final String VALID_ANSWER = """
            {"code": "VALID", "detail": "License is valid.", "licenseId": "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a",
             "expiresAt": "2027-01-01T00:00:00Z", "graceEndsAt": "2027-01-15T00:00:00Z",
             "entitlements": {"features": {"mig": true}, "limits": {"cuda.device": 8, "cuda.shares": 16, "nodes": 4}},
             "leaseUntil": "2026-11-27T06:00:00Z",
             "receipt": "eyJraWQiOiIyMDI2LTAxIiwidHlwIjoidmFsaWRhdGlvbi1yZWNlaXB0K2p3dCIsImFsZyI6IkVkRFNBIn0..."}""";

    public static final String NOT_FOUND_ANSWER = """
            {"code": "NOT_FOUND", "detail": "No license matches this key.",
             "receipt": "eyJraWQiOiIyMDI2LTAxIiwidHlwIjoidmFsaWRhdGlvbi1yZWNlaXB0K2p3dCIsImFsZyI6IkVkRFNBIn0..."}""";

    // --- Activations ---

    public static final String ACTIVATION_REQUEST = """
            {"key": "LK1-FM7PN-3GC5D-6RX6S-TBWF2-TF2BB-85K0N-BTKZ2-EJ3HK-B1YT5-HZC24-V5Q05-5S8D4",
             "fingerprint": "host-7f3a9c", "productCode": "gpu-orchestrator"}""";

    public static final String ACTIVATION = """
            {"licenseId": "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a", "fingerprint": "host-7f3a9c",
             "activatedAt": "2026-11-26T06:00:00Z", "lastSeenAt": "2026-11-26T06:00:00Z", "activeMachines": 3,
             "maxActivations": 5}""";

    public static final String HEARTBEAT = """
            {"licenseId": "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a", "fingerprint": "host-7f3a9c",
             "activatedAt": "2026-11-26T06:00:00Z", "lastSeenAt": "2026-11-26T07:00:00Z",
             "heartbeatDueBy": "2026-11-26T09:00:00Z", "activeMachines": 1, "maxActivations": 1}""";

    // --- Ping ---

    public static final String PING = """
            {"status": "ok"}""";

    // --- Problems (application/problem+json) ---

    public static final String INVALID_REQUEST_PROBLEM = """
            {"type": "https://licensing.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "nonce is required: a fresh random value per request, echoed in the receipt."}""";

    public static final String MALFORMED_KEY_PROBLEM = """
            {"type": "https://licensing.dev/problems/malformed-license-key", "title": "Malformed license key",
             "status": 400,
             "detail": "License key check characters do not match: a character is mistyped or two are swapped.",
             "code": "MALFORMED_KEY", "reason": "BAD_CHECKSUM"}""";

    public static final String LICENSE_NOT_USABLE_PROBLEM = """
            {"type": "https://licensing.dev/problems/license-not-usable", "title": "License cannot be used",
             "status": 403, "detail": "License has been revoked.", "code": "REVOKED"}""";

    public static final String LICENSE_NOT_FOUND_PROBLEM = """
            {"type": "https://licensing.dev/problems/license-not-found", "title": "License not found", "status": 404,
             "detail": "No license matches this key.", "code": "NOT_FOUND"}""";

    public static final String ACTIVATION_NOT_FOUND_PROBLEM = """
            {"type": "https://licensing.dev/problems/activation-not-found", "title": "Machine not activated",
             "status": 404, "detail": "This machine is not an active machine of the license.",
             "code": "FINGERPRINT_MISMATCH"}""";

    public static final String TOO_MANY_ACTIVATIONS_PROBLEM = """
            {"type": "https://licensing.dev/problems/too-many-activations", "title": "Activation limit reached",
             "status": 409, "detail": "The license allows 5 active machines; deactivate one first.",
             "code": "TOO_MANY_ACTIVATIONS", "maxActivations": 5}""";

    public static final String RATE_LIMITED_PROBLEM = """
            {"type": "https://licensing.dev/problems/rate-limited", "title": "Too many requests", "status": 429,
             "detail": "Too many requests for this license key. Retry after 1 s."}""";

    public static final String DEACTIVATION_LIMIT_PROBLEM = """
            {"type": "https://licensing.dev/problems/deactivation-limit", "title": "Deactivation limit reached",
             "status": 429,
             "detail": "The license allows 2 deactivations per day; the next is possible at 2026-11-27T00:00:00Z.",
             "opensAt": "2026-11-27T00:00:00Z"}""";

    public static final String STORE_UNAVAILABLE_PROBLEM = """
            {"type": "https://licensing.dev/problems/store-unavailable", "title": "License store unavailable",
             "status": 503, "detail": "Licenses cannot be read right now. Retry shortly; offline receipts stay valid\
             until their lease ends."}""";

    public static final String LICENSE_BUSY_PROBLEM = """
            {"type": "https://licensing.dev/problems/license-busy", "title": "License busy", "status": 503,
             "detail": "The license was changed concurrently too many times; retry."}""";

    public static final String NOT_ACCEPTABLE_PROBLEM = """
            {"type": "https://licensing.dev/problems/not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "The accept header value did not match the value in @Produces"}""";

    private Examples() {
    }
}
