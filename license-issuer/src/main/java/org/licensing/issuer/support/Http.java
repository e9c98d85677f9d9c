package org.licensing.issuer.support;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.licensing.issuer.idempotency.Idempotency;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.licensing.issuer.idempotency.StoredAnswer;

/** Small HTTP helpers shared by the resources. */
public final class Http {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private Http() {
    }

    public static StoredAnswer answer(ObjectMapper json, int status, Object body, String location) {
        try {
            return new StoredAnswer(status, json.writeValueAsString(body), location);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Response toResponse(Idempotency.Result result) {
        StoredAnswer a = result.answer();
        Response.ResponseBuilder b = Response.status(a.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(a.body());
        if (a.location() != null) {
            b.header("Location", a.location());
        }
        if (result.replayed()) {
            b.header(REPLAYED, "true");
        }
        return b.build();
    }

    /** Version from {@code expectedVersion} and/or {@code If-Match} ({@code "3"}, {@code W/"3"} or {@code 3}). */
    public static Long expectedVersion(Long fromBody, String ifMatch) {
        Long fromHeader = null;
        if (ifMatch != null && !ifMatch.isBlank()) {
            String v = ifMatch.strip();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            try {
                fromHeader = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw Problems.badRequest("If-Match must be the license version as an entity tag, e.g. \"3\"");
            }
            if (fromHeader < 0) {
                throw Problems.badRequest("If-Match must not be negative");
            }
        }
        if (fromBody != null && fromHeader != null && !fromBody.equals(fromHeader)) {
            throw Problems.badRequest("expectedVersion and If-Match disagree");
        }
        return fromBody != null ? fromBody : fromHeader;
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
