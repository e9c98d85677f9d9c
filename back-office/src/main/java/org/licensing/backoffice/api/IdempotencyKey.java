package org.licensing.backoffice.api;

import java.util.Map;

/**
 * The Idempotency-Key a form carries (a UUID generated when the form was rendered), as the header the APIs read: a
 * double submit or a retried POST sends the same key, so the API replays its first answer instead of acting twice.
 */
public final class IdempotencyKey {

    /** What the APIs accept as a key; anything else (a forged or truncated field) is not sent. */
    private static final String FORMAT = "[A-Za-z0-9-]{8,64}";

    private IdempotencyKey() {
    }

    /** The header for the form's key, or no header when the field is missing or malformed. */
    public static Map<String, String> header(String formValue) {
        return formValue != null && formValue.matches(FORMAT) ? Map.of("Idempotency-Key", formValue) : Map.of();
    }
}
