package org.licensing.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** A small JSON-over-HTTP client for the services' public APIs: what a portal or a product would send. */
public final class ApiClient {

    /** A response: status, headers and the parsed JSON body (a missing node when the body is empty). */
    public record Answer(int status, Map<String, java.util.List<String>> headers, JsonNode body, String raw) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI base;
    private final String authorization;

    public ApiClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static ApiClient bearer(URI base, String token) {
        return new ApiClient(base, token == null ? null : "Bearer " + token);
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    /** POST with a fresh Idempotency-Key. */
    public Answer post(String path, Object body) {
        return post(path, body, UUID.randomUUID().toString());
    }

    public Answer post(String path, Object body, String idempotencyKey) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    /** POST of a text body (a JWS file, say) as {@code contentType}, with a fresh Idempotency-Key. */
    public Answer postText(String path, String contentType, String text) {
        return send(request(path).header("Content-Type", contentType).header("Idempotency-Key",
                UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    /** Like {@link #post} but fails unless the status is 2xx; returns the body. */
    public JsonNode postOk(String path, Object body) {
        return ok(post(path, body), "POST " + path);
    }

    public JsonNode getOk(String path) {
        return ok(get(path), "GET " + path);
    }

    public static JsonNode ok(Answer answer, String what) {
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + answer.status() + ": " + answer.raw());
        }
        return answer.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            JsonNode body = raw == null || raw.isBlank() ? JSON.missingNode() : parse(raw);
            return new Answer(response.statusCode(), response.headers().map(), body, raw);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(raw);
        }
    }

    private static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
