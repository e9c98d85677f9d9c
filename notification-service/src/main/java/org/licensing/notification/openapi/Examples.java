package org.licensing.notification.openapi;

/**
 * Every example of this service's OpenAPI document, in one place: the annotations reference these constants, so the
 * resources and bodies carry no JSON of their own. Keep them valid against their schemas (the Redocly lint checks).
 */
public final class Examples {

    // --- Values (schema properties) ---

    /** A day, as every request and answer writes it (ISO, UTC). */
    public static final String DATE = "2026-12-01";
    public static final String THRESHOLDS_DAYS = "[60, 30, 7, 1, 0]";
    public static final String LICENSES_READ = "42";
    public static final String ITEMS_READ = "42";
    public static final String MESSAGES_QUEUED = "40";
    public static final String QUEUED = "true";
    public static final String DEAD_LETTER_DEPTH = "3";
    public static final String REDRIVE_MAX = "100";
    public static final String MOVED = "3";
    public static final String REMAINING = "0";

    // --- Runs and digests ---

    public static final String DATE_REQUEST = "{\"date\": \"" + DATE + "\"}";

    public static final String RUN_RESPONSE = "{\"date\": \"" + DATE + "\", \"thresholdsDays\": " + THRESHOLDS_DAYS
            + ", \"licensesRead\": " + LICENSES_READ + ", \"itemsRead\": " + ITEMS_READ + ", \"messagesQueued\": "
            + MESSAGES_QUEUED + "}";

    public static final String DIGEST_RESPONSE = "{\"date\": \"" + DATE + "\", \"queued\": " + QUEUED + "}";

    // --- A license's reminders ---

    public static final String LICENSE_ID = "7d0f6a8e-3b1c-4c55-9a5e-2f4b8c1d9e01";
    public static final String THRESHOLD_DAYS = "30";
    public static final String EXPIRES_AT = "2026-12-31T12:00:00Z";
    public static final String SENT_AT = "2026-12-01T06:00:04.512Z";
    public static final String RECIPIENTS = "[\"ap@acme.example\", \"finance@vendor.example\"]";

    public static final String LICENSE_REMINDERS = "{\"items\": [{\"thresholdDays\": 60, \"expiresAt\": \""
            + EXPIRES_AT + "\", \"state\": \"SENT\", \"sentAt\": \"2026-11-01T06:00:03.120Z\", \"recipients\": "
            + RECIPIENTS + "}, {\"thresholdDays\": " + THRESHOLD_DAYS + ", \"expiresAt\": \"" + EXPIRES_AT
            + "\", \"state\": \"SENT\", \"sentAt\": \"" + SENT_AT + "\", \"recipients\": " + RECIPIENTS + "}]}";

    public static final String NO_REMINDERS = "{\"items\": []}";

    public static final String LICENSE_NOT_FOUND_PROBLEM = """
            {"type": "https://licensing.dev/problems/not-found", "title": "Not found", "status": 404,
             "detail": "License 7d0f6a8e-3b1c-4c55-9a5e-2f4b8c1d9e01 was not found"}""";

    // --- Dead letters ---

    public static final String DEAD_LETTERS = "{\"depth\": " + DEAD_LETTER_DEPTH + "}";

    public static final String REDRIVE_REQUEST = "{\"max\": " + REDRIVE_MAX + "}";

    public static final String REDRIVE_RESPONSE = "{\"moved\": " + MOVED + ", \"remaining\": " + REMAINING + "}";

    // --- Problems (application/problem+json) ---

    public static final String INVALID_DATE_PROBLEM = """
            {"type": "https://licensing.dev/problems/invalid-date", "title": "Invalid date", "status": 400,
             "detail": "date must be an ISO day such as 2026-12-01"}""";

    public static final String INVALID_REDRIVE_PROBLEM = """
            {"type": "https://licensing.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "max must be between 1 and 10000"}""";

    public static final String UNAUTHORIZED_PROBLEM = """
            {"type": "https://licensing.dev/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "A valid bearer token (issuer, audience, expiry, signature) is required"}""";

    public static final String FORBIDDEN_PROBLEM = """
            {"type": "https://licensing.dev/problems/forbidden", "title": "Forbidden", "status": 403}""";

    private Examples() {
    }
}
