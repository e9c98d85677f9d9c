package org.licensing.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The issuer's HTTP API as the CLI uses it: bearer token, JSON in and out, problem+json errors turned into
 * {@link ApiException}. The token never appears in a message.
 */
public final class IssuerClient {

    private static final String ACCEPT_JSON = "application/json, application/problem+json";
    private static final String PROBLEM_PREFIX = "https://licensing.dev/problems/";

    /** A JSON answer and whether the issuer replayed it for a repeated Idempotency-Key. */
    public record Answer(int status, JsonNode body, boolean replayed, String etag) {
    }

    /** A non-JSON answer (a license file). */
    public record Text(String contentType, String body) {
    }

    /** How long a request may wait for the issuer's answer unless {@code LICENSECTL_TIMEOUT} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final ObjectMapper json;
    private final Duration timeout;

    public IssuerClient(String url, String token, ObjectMapper json) {
        this(url, token, json, DEFAULT_TIMEOUT);
    }

    /** {@code timeout} bounds the connect and each request up to the answer's headers (a CSV body may stream on). */
    public IssuerClient(String url, String token, ObjectMapper json, Duration timeout) {
        this.base = baseUri(url);
        this.token = token;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout
                : Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Parses and checks the issuer URL (http or https, no query); usage error otherwise. */
    public static URI baseUri(String url) {
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "No issuer URL: run `licensectl login --url URL --token TOKEN`"
                    + " or set " + Config.URL_ENV);
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "Issuer URL is not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new CliException(ExitCodes.USAGE, "Issuer URL must be http(s)://host[:port][/path], got " + url);
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI base() {
        return base;
    }

    public Answer get(String path) {
        HttpResponse<String> r = send(request(path, ACCEPT_JSON).GET(), path);
        return answer(r);
    }

    public Answer post(String path, Object body, String idempotencyKey) {
        String payload;
        try {
            payload = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return postText(path, "application/json", payload, idempotencyKey);
    }

    /** POST of a text body of {@code contentType} (a usage report's JWS) answering JSON; errors as for the others. */
    public Answer postText(String path, String contentType, String text, String idempotencyKey) {
        HttpRequest.Builder b = request(path, ACCEPT_JSON).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return answer(send(b, path));
    }

    /** DELETE answering JSON; errors as for the other calls. */
    public Answer delete(String path, String idempotencyKey) {
        HttpRequest.Builder b = request(path, ACCEPT_JSON).DELETE();
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return answer(send(b, path));
    }

    /** GET of a text resource (a license file) with extra headers; errors as for JSON calls. */
    public Text getText(String path, String accept, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, accept + ", application/problem+json");
        headers.forEach(b::header);
        HttpResponse<String> r = send(b.GET(), path);
        if (r.statusCode() / 100 != 2) {
            throw problem(r);
        }
        return new Text(r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /**
     * GET of a body streamed into {@code sink} as it arrives (a CSV export of any size, in flat memory); errors as
     * for JSON calls. Returns the Content-Type.
     */
    public String download(String path, String accept, OutputStream sink) {
        HttpResponse<InputStream> r = send(request(path, accept + ", application/problem+json").GET(), path,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() / 100 != 2) {
                throw problem(r.statusCode(), new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            }
            body.transferTo(sink);
            sink.flush();
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "The answer of " + base + path + " broke off: " + describe(e), e);
        }
        return r.headers().firstValue("Content-Type").orElse("");
    }

    /**
     * {@code ?a=1&b=2} from the non-null values, URL-encoded; a collection value repeats its parameter
     * ({@code status=ACTIVE&status=SUSPENDED}); empty when none.
     */
    public static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        new LinkedHashMap<>(params).forEach((k, v) -> {
            if (v instanceof Collection<?> values) {
                values.forEach(x -> q.add(enc(k) + "=" + enc(String.valueOf(x))));
            } else if (v != null) {
                q.add(enc(k) + "=" + enc(String.valueOf(v)));
            }
        });
        return q.toString();
    }

    /** One path segment, encoded (ids come from the command line). */
    public static String segment(String s) {
        return enc(s).replace("+", "%20");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", accept).header("User-Agent", "licensectl/" + Licensectl.VERSION);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String path) {
        return send(request, path, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, String path, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CliException(ExitCodes.OTHER, "Cannot reach the issuer at " + base + " (" + describe(e) + ")", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.OTHER, "The issuer at " + base + " did not answer in time (" + path + ", "
                    + Durations.format(timeout) + "; set " + Config.TIMEOUT_ENV + " to wait longer)", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "Request to " + base + path + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.OTHER, "Interrupted", e);
        }
    }

    private static String describe(Exception e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private Answer answer(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw problem(r);
        }
        JsonNode body;
        try {
            body = r.body() == null || r.body().isBlank() ? json.missingNode() : json.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.OTHER, "The issuer answered " + r.statusCode() + " with a body that is"
                    + " not JSON");
        }
        boolean replayed = r.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        return new Answer(r.statusCode(), body, replayed, r.headers().firstValue("ETag").orElse(null));
    }

    private ApiException problem(HttpResponse<String> r) {
        return problem(r.statusCode(), r.body());
    }

    private ApiException problem(int status, String answer) {
        String body = answer == null ? "" : answer;
        try {
            JsonNode p = json.readTree(body);
            if (p != null && p.isObject() && (p.hasNonNull("title") || p.hasNonNull("detail"))) {
                String type = p.path("type").asText(null);
                String title = p.path("title").asText(reason(status));
                String detail = p.path("detail").asText(null);
                if (type != null && type.startsWith(PROBLEM_PREFIX) && detail == null) {
                    detail = type.substring(PROBLEM_PREFIX.length());
                }
                if (p.path("violations").isArray() && !p.path("violations").isEmpty()) {
                    StringJoiner v = new StringJoiner("; ");
                    p.path("violations").forEach(x -> v.add(x.path("field").asText("") + " "
                            + x.path("message").asText("")));
                    detail = (detail == null ? "" : detail + ": ") + v;
                }
                return new ApiException(status, type, title, detail);
            }
        } catch (JsonProcessingException notJson) {
            // fall through
        }
        String snippet = body.strip();
        if (snippet.length() > 200) {
            snippet = snippet.substring(0, 200) + "...";
        }
        return new ApiException(status, null, reason(status) + " (HTTP " + status + ")",
                snippet.isEmpty() ? null : snippet);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
