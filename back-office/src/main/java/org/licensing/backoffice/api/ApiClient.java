package org.licensing.backoffice.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One API (issuer or notification service) called with the signed-in user's access token, so the API's own role
 * checks and audit actor apply. Answers are JSON trees; errors become {@link ApiProblem}; an unreachable or timed out
 * service, or a 502/503/504 (a load balancer's HTML page or the service's own 503), {@link ServiceUnavailable}.
 */
public final class ApiClient {

    /**
     * An answer and the headers the pages need: ETag (the version) and the {@code cursor} of a
     * {@code Link: <...cursor=...>; rel="next"} header (the audit log's older page), null without one.
     */
    public record Answer(int status, JsonNode body, String etag, String nextCursor) {
    }

    private static final java.util.regex.Pattern NEXT = java.util.regex.Pattern.compile(
            "<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    private final String service;
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;

    public ApiClient(String service, URI base, Duration timeout, HttpClient http, ObjectMapper json) {
        this.service = service;
        this.base = base;
        this.timeout = timeout;
        this.http = http;
        this.json = json;
    }

    public String service() {
        return service;
    }

    public JsonNode get(String pathAndQuery, String token) {
        return exchange("GET", pathAndQuery, null, Map.of(), token).body();
    }

    public Answer getAnswer(String pathAndQuery, String token) {
        return exchange("GET", pathAndQuery, null, Map.of(), token);
    }

    public Answer post(String path, Object body, Map<String, String> headers, String token) {
        return exchange("POST", path, body, headers, token);
    }

    public Answer patch(String path, Object body, Map<String, String> headers, String token) {
        return exchange("PATCH", path, body, headers, token);
    }

    public Answer delete(String path, Map<String, String> headers, String token) {
        return exchange("DELETE", path, null, headers, token);
    }

    /** A streamed GET (CSV, license file): the caller closes the body. Errors are read and thrown as problems. */
    public HttpResponse<InputStream> stream(String pathAndQuery, String accept, String token) {
        HttpRequest request = request(pathAndQuery, token).header("Accept", accept).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            try (InputStream in = response.body()) {
                throw problem(response.statusCode(), new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw ServiceUnavailable.unreachable(service, e);
            }
        }
        return response;
    }

    private Answer exchange(String method, String path, Object body, Map<String, String> headers, String token) {
        HttpRequest.Builder builder = request(path, token).header("Accept", "application/json");
        headers.forEach(builder::header);
        if (body != null) {
            try {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        } else {
            builder.method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("")
                    : HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), response.body());
        }
        JsonNode tree;
        try {
            tree = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ApiProblem(service, 502, "bad-answer", "Unreadable answer",
                    service + " answered something that is not JSON", List.of());
        }
        return new Answer(response.statusCode(), tree, response.headers().firstValue("ETag").orElse(null),
                nextCursor(response.headers().allValues("Link")));
    }

    private HttpRequest.Builder request(String pathAndQuery, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw ServiceUnavailable.unreachable(service, e);
        } catch (HttpTimeoutException e) {
            // Connected (to the service or a proxy in front of it) and asked, but no answer in time.
            throw ServiceUnavailable.timedOut(service, timeout, e);
        } catch (IOException e) {
            throw ServiceUnavailable.unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceUnavailable.unreachable(service, e);
        }
    }

    static String nextCursor(List<String> links) {
        for (String header : links) {
            java.util.regex.Matcher m = NEXT.matcher(header);
            while (m.find()) {
                String query = URI.create(m.group(1)).getRawQuery();
                for (String param : query == null ? new String[0] : query.split("&")) {
                    if (param.startsWith("cursor=")) {
                        return java.net.URLDecoder.decode(param.substring(7), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return null;
    }

    /** problem+json (RFC 9457) into a readable problem; anything else keeps the status and a generic text. */
    ApiProblem problem(int status, String body) {
        String type = "http-" + status;
        String title = "HTTP " + status;
        String detail = "";
        List<String> violations = new ArrayList<>();
        try {
            JsonNode tree = json.readTree(body);
            if (tree != null && tree.isObject()) {
                String typeUri = tree.path("type").asText("");
                if (!typeUri.isEmpty()) {
                    type = typeUri.substring(typeUri.lastIndexOf('/') + 1);
                }
                title = tree.path("title").asText(title);
                detail = tree.path("detail").asText("");
                for (JsonNode v : tree.path("violations")) {
                    violations.add(v.path("field").asText("") + ": " + v.path("message").asText(""));
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // not problem+json (a proxy's error page): the status says enough, its HTML is never shown
        }
        ServiceUnavailable.Failure gateway = ServiceUnavailable.Failure.ofStatus(status);
        if (gateway != null) {
            // a load balancer in front, or the service itself, says it cannot serve now
            throw ServiceUnavailable.answered(service, gateway, detail);
        }
        return new ApiProblem(service, status, type, title, detail, violations);
    }
}
