package org.licensing.validator.http;

import java.io.IOException;

import jakarta.inject.Singleton;

import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Parses request bodies here rather than in the JAX-RS reader, so every malformed, truncated, non-UTF-8 or
 * mistyped body, and every unknown field, gets the same 400 {@code invalid-request} problem+json with a useful detail
 * (never a 500, never an empty 400).
 */
@Singleton
public class JsonBodies {

    private final ObjectMapper mapper;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper.copy() // unknown fields stay an error (service-support's StrictJson)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    public <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw Problems.badRequest("A JSON object body is required.");
        }
        ObjectReader reader = mapper.readerFor(type);
        try {
            T value = reader.readValue(body);
            if (value == null) {
                throw Problems.badRequest("A JSON object body is required.");
            }
            return value;
        } catch (JsonParseException e) {
            throw Problems.badRequest("Body is not valid UTF-8 JSON.");
        } catch (IOException e) {
            throw Problems.badRequest("Body does not match the expected JSON object" + field(e) + ".");
        }
    }

    private static String field(IOException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder(" at ");
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    String name = ref.getFieldName();
                    sb.append(name.length() > 64 ? name.substring(0, 64) : name).append('.');
                }
            }
            if (sb.length() > 4) {
                sb.setLength(sb.length() - 1);
                return sb.toString().chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? sb.toString() : "";
            }
        }
        return "";
    }
}
