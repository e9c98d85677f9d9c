package org.licensing.e2e;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.licensing.testsupport.idp.KeycloakServer;

import com.fasterxml.jackson.databind.JsonNode;

/** Seeds the local run through the issuer's API: a customer with a finance contact, a product, a policy, a license. */
public final class DemoSeed {

    public static final String PRODUCT_CODE = "gpu-cluster";
    public static final String FINANCE_CONTACT = "ap@acme.example";

    /** What was seeded. */
    public record Seeded(String customerId, String policyId, String licenseId, String licenseKey, Instant expiresAt) {
    }

    private final LocalSystem system;
    private final ApiClient issuer;

    public DemoSeed(LocalSystem system) {
        this.system = system;
        this.issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
    }

    /** The demo: a license expiring in 7 days. */
    public Seeded seed() {
        return seed(Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    /** A new customer (with a finance contact), the product if missing, a policy of 3 machines, and a license. */
    public Seeded seed(Instant expiresAt) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode customer = issuer.postOk("/v1/customers", Map.of("name", "Acme GPU Cloud", "externalId",
                "crm-" + suffix));
        String customerId = customer.path("id").asText();
        issuer.postOk("/v1/customers/" + customerId + "/contacts",
                Map.of("email", FINANCE_CONTACT, "name", "Accounts Payable", "role", "FINANCE"));
        issuer.postOk("/v1/customers/" + customerId + "/contacts",
                Map.of("email", "ops@acme.example", "name", "Cluster Ops", "role", "TECHNICAL"));
        if (issuer.get("/v1/products/" + PRODUCT_CODE).status() == 404) {
            issuer.postOk("/v1/products", Map.of("code", PRODUCT_CODE, "name", "GPU Cluster Manager"));
        }
        JsonNode policy = issuer.postOk("/v1/policies", Map.of(
                "productCode", PRODUCT_CODE,
                "name", "Annual, 3 machines",
                "durationDays", 365,
                "graceDays", 14,
                "maxActivations", 3,
                "maxDeactivationsPerDay", 5,
                "entitlements", Map.of("features", Map.of("sso", true), "limits", Map.of("cuda.device", 64,
                        "cuda.shares", new java.math.BigDecimal("128.5"), "cpu", 512, "mem", 2199023255552L, "nodes", 8))));
        String policyId = policy.path("id").asText();
        JsonNode license = issuer.postOk("/v1/licenses", Map.of(
                "customerId", customerId, "policyId", policyId, "expiresAt", expiresAt.toString()));
        return new Seeded(customerId, policyId, license.path("licenseId").asText(),
                license.path("licenseKey").asText(), expiresAt);
    }

    /**
     * What the back office shows on a first visit: customers with licenses expiring within 7 and within 30 days,
     * one suspended, one revoked and one far out, on the demo's product (a few seconds of API calls).
     */
    public void seedBackOfficeDemo() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String policyId = ensurePolicy();
        license(customer("Nimbus Render Farm", "crm-nimbus"), policyId, now.plus(3, ChronoUnit.DAYS));
        String orbital = customer("Orbital Labs", "crm-orbital");
        license(orbital, policyId, now.plus(21, ChronoUnit.DAYS));
        String suspended = license(orbital, policyId, now.plus(120, ChronoUnit.DAYS));
        issuer.postOk("/v1/licenses/" + suspended + "/suspend", Map.of("reason", "invoice 2291 unpaid (demo)"));
        String helios = customer("Helios AI", "crm-helios");
        license(helios, policyId, now.plus(28, ChronoUnit.DAYS));
        license(helios, policyId, now.plus(365, ChronoUnit.DAYS));
        String revoked = license(customer("Quanta Research", "crm-quanta"), policyId, now.plus(200, ChronoUnit.DAYS));
        issuer.postOk("/v1/licenses/" + revoked + "/revoke", Map.of("reason", "contract ended (demo)"));
    }

    private String ensurePolicy() {
        if (issuer.get("/v1/products/" + PRODUCT_CODE).status() == 404) {
            issuer.postOk("/v1/products", Map.of("code", PRODUCT_CODE, "name", "GPU Cluster Manager"));
        }
        return issuer.postOk("/v1/policies", Map.of(
                "productCode", PRODUCT_CODE,
                "name", "Annual, 8 machines",
                "durationDays", 365,
                "graceDays", 14,
                "maxActivations", 8,
                "maxDeactivationsPerDay", 5,
                "entitlements", Map.of("features", Map.of("sso", true, "mig", true),
                        "limits", Map.of("cuda.device", 16, "nodes", 8)))).path("id").asText();
    }

    private String customer(String name, String externalIdPrefix) {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String id = issuer.postOk("/v1/customers", Map.of("name", name, "externalId", externalIdPrefix + "-" + suffix))
                .path("id").asText();
        issuer.postOk("/v1/customers/" + id + "/contacts", Map.of("email", "billing+" + suffix + "@"
                + externalIdPrefix.replace("crm-", "") + ".example", "name", "Billing", "role", "FINANCE"));
        return id;
    }

    private String license(String customerId, String policyId, Instant expiresAt) {
        return issuer.postOk("/v1/licenses", Map.of("customerId", customerId, "policyId", policyId,
                "expiresAt", expiresAt.toString())).path("licenseId").asText();
    }

    /** What the local run prints once everything is up. */
    public static String banner(LocalSystem system, Seeded demo, boolean kept) {
        return apiBanner(system, demo) + (system.hasKeycloak() ? backOfficeBanner(system, kept)
                : "\n Back office: not started (--no-back-office). The APIs trust the local test key above.\n");
    }

    private static String backOfficeBanner(LocalSystem system, boolean kept) {
        StringBuilder out = new StringBuilder();
        out.append(" Back office           %s   (sign in through Keycloak as one of:)%n"
                .formatted(system.backOffice().url()));
        for (KeycloakServer.DemoUser user : KeycloakServer.DemoUser.all()) {
            out.append("   %-9s password %s%n".formatted(user.username(), user.password()));
        }
        KeycloakServer keycloak = system.keycloak();
        out.append(" Keycloak              %1$s   (admin console %1$s/admin: user %2$s, password %3$s)%n"
                .formatted(keycloak.baseUrl(), keycloak.adminUser(), keycloak.adminPassword()));
        out.append(" A new API token (they last 15 min):%n   curl -s -u %s:%s -d grant_type=client_credentials %s%n"
                .formatted(KeycloakServer.SEED_CLIENT_ID, KeycloakServer.SEED_CLIENT_SECRET,
                        keycloak.tokenEndpoint()));
        out.append(" Data and secrets      %s%n".formatted(kept ? "kept from the run before (--keep)"
                : "fresh (./run-local.sh --keep keeps them for the next run)"));
        out.append("================================================================================\n");
        return out.toString();
    }

    private static String apiBanner(LocalSystem system, Seeded demo) {
        String issuerUrl = system.issuer().url().toString();
        String validatorUrl = system.validator().url().toString();
        String notificationUrl = system.notification().url().toString();
        String mail = system.backends().sesEndpoint().toString();
        String token = system.backOfficeToken();
        String operator = system.operatorToken();
        String reminderDay = demo.expiresAt().minus(7, ChronoUnit.DAYS).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate().toString();
        return """

                ================================================================================
                 Licensing platform is running (Ctrl-C stops everything)
                ================================================================================
                 license-issuer        %1$s   (OpenAPI UI: %1$s/q/swagger-ui)
                 license-validator     %2$s
                 notification-service  %3$s
                 sent-email viewer     %4$s
                 logs                  %5$s

                 Demo license (customer Acme GPU Cloud, finance contact %6$s, expires %7$s):
                   licenseId  %8$s
                   licenseKey %9$s

                 API token (roles licenses:read, licenses:write, catalog:admin, webhooks:admin; %15$s):
                   export TOKEN=%10$s
                 Operator token for the notification service (role reminders:run; %15$s):
                   export OPS_TOKEN=%11$s

                 Try:
                 1) activate a machine (the license allows 3), then validate the key on it
                   curl -s %2$s/v1/activations -H 'Content-Type: application/json' \\
                     -d '{"key":"%9$s","productCode":"%12$s","fingerprint":"host-1"}'
                   curl -s %2$s/v1/validate -H 'Content-Type: application/json' \\
                     -d '{"key":"%9$s","productCode":"%12$s","nonce":"n-123","fingerprint":"host-1"}'
                 2) renew it by a year
                   curl -s %1$s/v1/licenses/%8$s/renew -H "Authorization: Bearer $TOKEN" \\
                     -H 'Content-Type: application/json' -H "Idempotency-Key: $(uuidgen || date +%%s%%N)" \\
                     -d '{"extendDays":365}'
                 3) run the reminders for the day 7 days before expiry, then see the email
                   curl -s %3$s/v1/reminders/runs -H "Authorization: Bearer $OPS_TOKEN" \\
                     -H 'Content-Type: application/json' -d '{"date":"%14$s"}'
                   open %4$s  (or: curl -s %4$s/store)
                ================================================================================
                """.formatted(issuerUrl, validatorUrl, notificationUrl, mail,
                system.issuer().log().getParent(), FINANCE_CONTACT, demo.expiresAt(), demo.licenseId(),
                demo.licenseKey(), token, operator, PRODUCT_CODE, "unused", reminderDay,
                system.hasKeycloak() ? "the licensing-seed service account's, 15 min" : "12 h");
    }
}
