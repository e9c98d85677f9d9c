package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.key.LicenseKey;
import org.licensing.e2e.ApiClient.Answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The air-gapped story against the packaged services (the system {@link SharedSystem} shares): a machine's checkout
 * request file, the checkout through the issuer's API, the file opened on the machine with no validator running, the
 * seat it takes counted by the validator too, and the machine's return file freeing it.
 */
class CheckoutStoryIT {

    private static final String PRODUCT = "gpu-airgap";

    private static LocalSystem system;
    private static ApiClient issuer;
    private static String customerId;

    @TempDir
    Path site;

    @BeforeAll
    static void startSystem() {
        system = SharedSystem.apis();
        issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
        if (issuer.get("/v1/products/" + PRODUCT).status() == 404) {
            issuer.postOk("/v1/products", Map.of("code", PRODUCT, "name", "GPU air-gapped"));
        }
        customerId = issuer.postOk("/v1/customers", Map.of("name", "Remote Site GmbH",
                "externalId", "crm-airgap-" + UUID.randomUUID().toString().substring(0, 8))).path("id").asText();
    }

    @Test
    void requestCheckoutRunOfflineReturn() throws Exception {
        ensureValidator();
        JsonNode policy = issuer.postOk("/v1/policies", Map.of("productCode", PRODUCT, "name", "Air-gapped, 2 seats",
                "durationDays", 365, "graceDays", 14, "maxActivations", 2, "maxCheckoutDays", 60,
                "entitlements", Map.of("limits", Map.of("cuda.device", 8))));
        JsonNode license = issuer.postOk("/v1/licenses", Map.of("customerId", customerId,
                "policyId", policy.path("id").asText()));
        String id = license.path("licenseId").asText();
        LicenseKey key = LicenseKey.parse(license.path("licenseKey").asText());
        String fpA = "k8s-" + UUID.randomUUID().toString().replace("-", "");
        String fpB = "host-" + UUID.randomUUID().toString().replace("-", "");

        // 1. The air-gapped machine writes its request file; a person carries it to the vendor.
        Path requestFile = site.resolve("checkout-request.json");
        Files.writeString(requestFile, CheckoutRequest.of(UUID.fromString(id), PRODUCT, fpA, Instant.now(), "dgx-a")
                .toJson());

        // 2. The operator makes the checkout through the issuer's API.
        Answer made = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request",
                Files.readString(requestFile), "durationDays", 30, "reason", "site A"), "airgap-" + fpA);
        assertEquals(201, made.status(), made.raw());
        Path checkoutFile = site.resolve(made.body().path("fileName").asText());
        Files.writeString(checkoutFile, made.body().path("file").asText());

        // One seat is the checkout's; the validator's online activation takes the other; a third machine gets none.
        Answer online = new ApiClient(system.validator().url(), null).post("/v1/activations", Map.of("key",
                key.text(), "fingerprint", "host-online", "productCode", PRODUCT));
        assertEquals(201, online.status(), online.raw());
        assertEquals(2, online.body().path("activeMachines").asInt(), online.raw());
        Answer full = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request",
                CheckoutRequest.of(UUID.fromString(id), PRODUCT, fpB, Instant.now(), null).toJson(), "durationDays", 30));
        assertEquals(409, full.status(), full.raw());
        assertEquals("https://licensing.dev/problems/too-many-activations", full.body().path("type").asText());
        // The key holder cannot free the checkout's seat online.
        Answer deactivate = new ApiClient(system.validator().url(), "License " + key.text())
                .delete("/v1/activations/" + fpA);
        assertEquals(409, deactivate.status(), deactivate.raw());

        // 3. On the machine, with no validator running: the key and the machine open it, VALID.
        system.validator().close();
        assertFalse(system.validator().isAlive());
        JWKSet pinned = system.signingKeys(LocalSystem.ISSUER).publicJwkSet();
        String jwe = Files.readString(checkoutFile).strip();
        VerifiedCheckout opened = CheckoutFiles.open(jwe, key, fpA, pinned, null, Instant.now(), Duration.ZERO);
        assertEquals(LicenseValidity.VALID, opened.validity());
        assertEquals(fpA, opened.document().fingerprint());
        assertEquals(1, opened.document().sequence());
        assertEquals("8", opened.document().license().limits().get("cuda.device").toPlainString());
        // The bypasses of the old plain file: a key made up for the same (public) license id; machine B.
        assertEquals(LicenseFileException.Reason.DECRYPTION_FAILED, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, LicenseKey.generate(key.licenseId()), fpA, pinned, null, Instant.now(),
                        Duration.ZERO)).reason());
        assertEquals(LicenseFileException.Reason.WRONG_MACHINE, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, key, fpB, pinned, null, Instant.now(), Duration.ZERO)).reason());
        // A file signed by anyone but the vendor's pinned key is refused.
        JWKSet other = SigningKeys.generate("not-the-vendor").publicJwkSet();
        assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, key, fpA, other, null, Instant.now(), Duration.ZERO));
        ensureValidator();

        // 4. The machine is retired: it writes a return file; the operator posts it; the seat is free.
        Path returnFile = site.resolve("checkout-return.json");
        Files.writeString(returnFile, CheckoutReturn.create(opened.document(), key, Instant.now()).toJson());
        Answer returned = issuer.post("/v1/licenses/" + id + "/checkouts/returns",
                Map.of("returnFile", Files.readString(returnFile)));
        assertEquals(200, returned.status(), returned.raw());
        assertEquals("RETURNED", returned.body().path("state").asText());
        Answer next = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request",
                CheckoutRequest.of(UUID.fromString(id), PRODUCT, fpB, Instant.now(), null).toJson(), "durationDays", 30));
        assertEquals(201, next.status(), next.raw());
        assertEquals(2, next.body().path("sequence").asInt());

        JsonNode listed = issuer.getOk("/v1/licenses/" + id + "/checkouts");
        assertEquals(List.of(fpB, fpA), List.of(listed.get(0).path("fingerprint").asText(),
                listed.get(1).path("fingerprint").asText()));
        assertEquals(List.of("ACTIVE", "RETURNED"), List.of(listed.get(0).path("state").asText(),
                listed.get(1).path("state").asText()));
        JsonNode events = issuer.getOk("/v1/audit-events?licenseId=" + id);
        assertEquals(List.of("LICENSE_CHECKED_OUT", "LICENSE_CHECKOUT_RETURNED", "LICENSE_CHECKED_OUT",
                "LICENSE_ISSUED"), List.of(events.get(0).path("action").asText(), events.get(1).path("action").asText(),
                events.get(2).path("action").asText(), events.get(3).path("action").asText()));
    }

    private static void ensureValidator() {
        if (!system.validator().isAlive()) {
            system.validator().start(Duration.ofSeconds(120));
        }
    }
}
