package org.licensing.backoffice.api;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

import org.licensing.backoffice.config.BackOfficeConfig;

/**
 * The two APIs, called with the signed-in user's access token (from the OIDC session): the issuer's and the
 * notification service's role checks and audit actor are the user's, never the back office's.
 */
@ApplicationScoped
public class Apis {

    public static final String ISSUER = "license issuer";
    public static final String NOTIFICATION = "notification service";

    private final ApiClient issuer;
    private final ApiClient notification;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    @Inject
    public Apis(BackOfficeConfig config, ObjectMapper json, SecurityIdentity identity) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.issuer = new ApiClient(ISSUER, config.issuerUrl(), config.apiTimeout(), http, json);
        this.notification = new ApiClient(NOTIFICATION, config.notificationUrl(), config.apiTimeout(), http, json);
        this.json = json;
        this.identity = identity;
    }

    public ApiClient issuer() {
        return issuer;
    }

    public ApiClient notification() {
        return notification;
    }

    /** The user's access token (quarkus-oidc keeps it in the session and refreshes it). */
    public String token() {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null ? null : credential.getToken();
    }

    public JsonNode issuerGet(String pathAndQuery) {
        return issuer.get(pathAndQuery, token());
    }

    public JsonNode notificationGet(String pathAndQuery) {
        return notification.get(pathAndQuery, token());
    }

    /**
     * Every license the issuer's search finds with {@code filters} (its keyset pages of 100 followed), at most
     * {@code max}: each handed to {@code each}. True when more than {@code max} match.
     */
    public boolean eachLicense(Query filters, int max, java.util.function.Consumer<JsonNode> each) {
        String cursor = null;
        int seen = 0;
        do {
            JsonNode page = issuerGet("/v1/licenses" + filters.without("cursor").without("limit").add("limit", 100)
                    .add("cursor", cursor));
            for (JsonNode license : page.path("items")) {
                if (seen++ == max) {
                    return true;
                }
                each.accept(license);
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return false;
    }

    /**
     * {@code read} applied to every item, at most {@link #CONCURRENT_READS} at a time, the answers in the items'
     * order. For pages that need a request per item: the user waits for the slowest few, not for the sum. The first
     * failure (an {@link ApiProblem}, {@link ServiceUnavailable}, ...) is thrown as it was thrown.
     */
    public static <T, R> List<R> concurrently(List<T> items, java.util.function.Function<T, R> read) {
        List<CompletableFuture<R>> answers = items.stream().map(item -> async(() -> read.apply(item))).toList();
        try {
            return answers.stream().map(Apis::await).toList();
        } catch (RuntimeException e) {
            answers.forEach(a -> a.cancel(false));
            throw e;
        }
    }

    /**
     * {@code read} started on a thread of the API reads. It runs outside the request, so it must take the user's
     * token as an argument ({@code apis.issuer().get(path, token)}), never read it from the session.
     */
    public static <R> CompletableFuture<R> async(java.util.function.Supplier<R> read) {
        return CompletableFuture.supplyAsync(read, READS);
    }

    /** The answer of an {@link #async} read, or what it threw, thrown as it was thrown. */
    public static <R> R await(CompletableFuture<R> read) {
        try {
            return read.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** How many API reads one page runs at once (each is a blocking HTTP call on a thread of its own). */
    static final int CONCURRENT_READS = 8;
    private static final java.util.concurrent.ExecutorService READS = java.util.concurrent.Executors
            .newFixedThreadPool(CONCURRENT_READS, runnable -> {
                Thread thread = new Thread(runnable, "api-read");
                thread.setDaemon(true);
                return thread;
            });

    /** A JSON object as a map for the templates (Qute reads map keys as properties). */
    public Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? Map.of()
                : json.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }

    public List<Object> list(JsonNode node) {
        return node == null || !node.isArray() ? List.of()
                : json.convertValue(node, new TypeReference<List<Object>>() { });
    }
}
