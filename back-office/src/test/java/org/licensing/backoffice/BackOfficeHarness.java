package org.licensing.backoffice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.idp.KeycloakServer;
import org.licensing.testsupport.process.PackagedService;

/**
 * What the back office's tests run against, once per test JVM: the real Keycloak with the licensing realm, and
 * the real packaged issuer and notification service on the harness back ends trusting that realm. A small catalog and one license are
 * seeded through the issuer's API with the seed client's Keycloak token.
 */
final class BackOfficeHarness {

    private static BackOfficeHarness shared;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** JVM-wide (Quarkus loads test classes again per test profile): the running harness, as plain strings. */
    private static final String SHARED_PROPERTY = "harness.backoffice-shared";

    final KeycloakServer keycloak;
    final URI issuerUrl;
    final URI notificationUrl;
    final String customerId;
    final String policyId;
    final String licenseId;

    private BackOfficeHarness() {
        // Fails fast, before Keycloak's 20+ s start, when the issuer was not built.
        PackagedService.jar("license-issuer");
        PackagedService.jar("notification-service");
        keycloak = KeycloakServer.shared();
        Map<String, String> backends = PackagedService.envOf(
                LocalBackends.shared().start(Backend.parse("dynamodb,postgres,sqs,ses")));
        Map<String, String> env = new HashMap<>(backends);
        env.putAll(keycloak.jwtTrustEnv("license-issuer"));
        // WebhooksTest's receiver listens on loopback, which the issuer refuses to deliver to unless allowed
        env.put("LICENSING_WEBHOOKS_ALLOWED_RANGES", "127.0.0.1/32");
        PackagedService issuer = PackagedService.of("license-issuer", env, Path.of("target", "services"));
        Map<String, String> notificationEnv = new HashMap<>(backends);
        notificationEnv.putAll(keycloak.jwtTrustEnv("notification-service"));
        PackagedService notification = PackagedService.of("notification-service", notificationEnv,
                Path.of("target", "services"));
        Runtime.getRuntime().addShutdownHook(new Thread(issuer::close, "issuer-stop"));
        Runtime.getRuntime().addShutdownHook(new Thread(notification::close, "notification-stop"));
        issuer.start(Duration.ofSeconds(180));
        notification.start(Duration.ofSeconds(180));
        issuerUrl = issuer.url();
        notificationUrl = notification.url();

        String token = keycloak.seedToken();
        post(token, "/v1/products", Map.of("code", "gpu-cluster", "name", "GPU Cluster Manager"));
        policyId = post(token, "/v1/policies", Map.of("productCode", "gpu-cluster", "name", "Standard annual",
                "durationDays", 365, "graceDays", 14, "maxActivations", 3,
                "entitlements", Map.of("features", Map.of("sso", true), "limits", Map.of("cuda.device", 8))))
                .path("id").asText();
        customerId = post(token, "/v1/customers", Map.of("name", "Acme GPU Cloud", "externalId", "crm-0042"))
                .path("id").asText();
        licenseId = post(token, "/v1/licenses", Map.of("customerId", customerId, "policyId", policyId))
                .path("licenseId").asText();
    }

    private BackOfficeHarness(String[] stored) {
        keycloak = KeycloakServer.shared();
        issuerUrl = URI.create(stored[0]);
        customerId = stored[1];
        policyId = stored[2];
        licenseId = stored[3];
        notificationUrl = URI.create(stored[4]);
    }

    static synchronized BackOfficeHarness shared() {
        if (shared == null) {
            Object stored = System.getProperties().get(SHARED_PROPERTY);
            if (stored instanceof String s) {
                shared = new BackOfficeHarness(s.split("\\|"));
            } else {
                shared = new BackOfficeHarness();
                System.getProperties().put(SHARED_PROPERTY, String.join("|", shared.issuerUrl.toString(),
                        shared.customerId, shared.policyId, shared.licenseId,
                        shared.notificationUrl.toString()));
            }
        }
        return shared;
    }

    /** A license's live record, read with the seed token (what the issuer really holds, not what a page shows). */
    JsonNode license(String id) {
        return get(keycloak.seedToken(), "/v1/licenses/" + id);
    }

    /** Issues a fresh license for a test that changes it. */
    String newLicense() {
        return post(keycloak.seedToken(), "/v1/licenses", Map.of("customerId", customerId, "policyId", policyId))
                .path("licenseId").asText();
    }

    /** A checkout of {@code licenseId} for the machine {@code fingerprint}, made at the issuer: the JWE file. */
    String checkoutFile(String licenseId, String fingerprint) {
        String request = org.licensing.core.checkout.CheckoutRequest.of(java.util.UUID.fromString(licenseId),
                "gpu-cluster", fingerprint, java.time.Instant.now(), null).toJson();
        return post(keycloak.seedToken(), "/v1/licenses/" + licenseId + "/checkouts",
                Map.of("request", request, "durationDays", 1)).path("file").asText();
    }

    /** Issues a license for {@code customer} from the harness policy with {@code overrides}; the answer has the key. */
    JsonNode issue(String customer, Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(overrides);
        body.put("customerId", customer);
        body.put("policyId", policyId);
        return post(keycloak.seedToken(), "/v1/licenses", body);
    }

    /** A new customer of its own, so a test can count exactly what it made. */
    String newCustomer(String name) {
        return post(keycloak.seedToken(), "/v1/customers", Map.of("name", name,
                "externalId", "crm-" + java.util.UUID.randomUUID().toString().substring(0, 8))).path("id").asText();
    }

    /** Every license of a customer as the issuer's search answers it (one page is enough for a test's customer). */
    JsonNode licensesOf(String customer) {
        return get(keycloak.seedToken(), "/v1/licenses?limit=100&customerId=" + customer).path("items");
    }

    /** The audit events of one license. */
    JsonNode auditOf(String licenseId) {
        return get(keycloak.seedToken(), "/v1/audit-events?limit=100&licenseId=" + licenseId);
    }

    /** An issuer answer's status and body as it is (no check). */
    HttpResponse<String> raw(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(issuerUrl.resolve(path))
                .header("Authorization", "Bearer " + keycloak.seedToken()).GET();
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET of the notification service with the seed token. */
    JsonNode notificationGet(String path) {
        HttpRequest request = HttpRequest.newBuilder(notificationUrl.resolve(path))
                .header("Authorization", "Bearer " + keycloak.seedToken()).GET().build();
        return send(request, path);
    }

    JsonNode get(String token, String path) {
        HttpRequest request = HttpRequest.newBuilder(issuerUrl.resolve(path))
                .header("Authorization", "Bearer " + token).GET().build();
        return send(request, path);
    }

    JsonNode post(String token, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(issuerUrl.resolve(path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return send(request, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode send(HttpRequest request, String path) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.method() + " " + path + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
