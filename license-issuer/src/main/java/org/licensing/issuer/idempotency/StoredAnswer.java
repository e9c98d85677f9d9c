package org.licensing.issuer.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An HTTP answer as kept for replay: status, JSON body, optional Location. */
public record StoredAnswer(int status, String body, String location) {

    /** The answer {@code status} with {@code body} as JSON (and a Location when {@code location} is not null). */
    public static StoredAnswer of(ObjectMapper json, int status, Object body, String location) {
        try {
            return new StoredAnswer(status, json.writeValueAsString(body), location);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
