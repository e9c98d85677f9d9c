package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.licensing.examples.gpuagent.ExitCodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The air-gapped story against the packaged services (the system {@link SharedSystem} shares), the machine side with
 * the example gpu-agent's own commands: its checkout request file, the checkout through the issuer's API, the agent
 * installing it and answering VALID with no validator running, the seat it takes counted by the validator too (a
 * second machine refused meanwhile), and the agent's return file freeing the seat for that second machine.
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
        JWKSet pinned = system.signingKeys(LocalSystem.ISSUER).publicJwkSet();
        AirGappedMachine machineA = new AirGappedMachine(site.resolve("dgx-a"),
                "k8s-" + UUID.randomUUID().toString().replace("-", ""), PRODUCT, key.text(), pinned);
        AirGappedMachine machineB = new AirGappedMachine(site.resolve("dgx-b"),
                "host-" + UUID.randomUUID().toString().replace("-", ""), PRODUCT, key.text(), pinned);
        String fpA = machineA.fingerprint();
        String fpB = machineB.fingerprint();

        // 1. The air-gapped machine's agent writes its request file (no secret); a person carries it to the vendor.
        Path requestFile = machineA.checkoutRequest("dgx-a");
        String requestText = Files.readString(requestFile);
        CheckoutRequest request = CheckoutRequest.parse(requestText);
        assertEquals(List.of(id, PRODUCT, fpA), List.of(request.licenseId().toString(), request.productCode(),
                request.fingerprint()));
        assertFalse(requestText.contains(key.text()), "no secret in the request");

        // 2. The operator makes the checkout through the issuer's API.
        Answer made = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request", requestText,
                "durationDays", 30, "reason", "site A"), "airgap-" + fpA);
        assertEquals(201, made.status(), made.raw());
        Path checkoutFile = site.resolve(made.body().path("fileName").asText());
        Files.writeString(checkoutFile, made.body().path("file").asText());
        assertEquals(List.of(fpA), machines(id), "the checkout holds a seat in the validator's activations");

        // One seat is the checkout's; the validator's online activation takes the other; a third machine gets none.
        Answer online = new ApiClient(system.validator().url(), null).post("/v1/activations", Map.of("key",
                key.text(), "fingerprint", "host-online", "productCode", PRODUCT));
        assertEquals(201, online.status(), online.raw());
        assertEquals(2, online.body().path("activeMachines").asInt(), online.raw());
        String requestB = Files.readString(machineB.checkoutRequest("dgx-b"));
        Answer full = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request", requestB,
                "durationDays", 30));
        assertEquals(409, full.status(), full.raw());
        assertEquals("https://licensing.dev/problems/too-many-activations", full.body().path("type").asText());
        // The key holder cannot free the checkout's seat online.
        Answer deactivate = new ApiClient(system.validator().url(), "License " + key.text())
                .delete("/v1/activations/" + fpA);
        assertEquals(409, deactivate.status(), deactivate.raw());
        assertEquals(Set.of(fpA, "host-online"), Set.copyOf(machines(id)));

        // 3. On the machine, with no validator running: the agent installs the file and answers VALID from it.
        system.validator().close();
        assertFalse(system.validator().isAlive());
        assertFalse(machineA.check().code() == ExitCodes.USABLE, "nothing installed yet: not usable");
        AgentRun installed = machineA.install(checkoutFile);
        assertEquals(ExitCodes.USABLE, installed.code(), installed.toString());
        assertEquals(machineA.licenseFile().toString(), installed.field("installed"));
        assertEquals(Files.readString(checkoutFile), Files.readString(machineA.licenseFile()));
        AgentRun offline = machineA.assertValidOffline();
        assertEquals(id, offline.field("license"));
        assertEquals("cuda.device=8", offline.field("limits"));
        // Machine B is refused the same file and installs nothing.
        AgentRun wrongMachine = machineB.install(checkoutFile);
        assertEquals(ExitCodes.UNCONFIRMED, wrongMachine.code(), wrongMachine.toString());
        assertFalse(Files.exists(machineB.licenseFile()), wrongMachine.toString());
        // The bypasses of the old plain file: a key made up for the same (public) license id; machine B.
        String jwe = Files.readString(checkoutFile).strip();
        VerifiedCheckout opened = CheckoutFiles.open(jwe, key, fpA, pinned, null, Instant.now(), Duration.ZERO);
        assertEquals(LicenseValidity.VALID, opened.validity());
        assertEquals(1, opened.document().sequence());
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

        // 4. The machine is retired: the agent deletes the checkout and writes the return file; the operator posts
        //    it; the seat is free.
        Path returnFile = machineA.returnCheckout();
        AgentRun afterReturn = machineA.check();
        assertFalse(afterReturn.code() == ExitCodes.USABLE, "the machine no longer runs on it: " + afterReturn);
        assertTrue(CheckoutReturn.parse(Files.readString(returnFile)).verify(key.secretHash()),
                "the return is authenticated with the license key");
        Answer returned = issuer.post("/v1/licenses/" + id + "/checkouts/returns",
                Map.of("returnFile", Files.readString(returnFile)));
        assertEquals(200, returned.status(), returned.raw());
        assertEquals("RETURNED", returned.body().path("state").asText());
        assertEquals(List.of("host-online"), machines(id), "the checkout's seat is free");

        // 5. Machine B, refused while the seat was taken, gets its checkout now and runs offline on it.
        Answer next = issuer.post("/v1/licenses/" + id + "/checkouts", Map.of("request", requestB,
                "durationDays", 30));
        assertEquals(201, next.status(), next.raw());
        assertEquals(2, next.body().path("sequence").asInt());
        Path checkoutB = Files.writeString(site.resolve("b-" + next.body().path("fileName").asText()),
                next.body().path("file").asText());
        assertEquals(ExitCodes.USABLE, machineB.install(checkoutB).code());
        machineB.assertValidOffline();
        assertEquals(Set.of(fpB, "host-online"), Set.copyOf(machines(id)));

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

    /** The machines holding a seat of the license, as the issuer reads them from the validator's record. */
    private static List<String> machines(String licenseId) {
        List<String> fingerprints = new ArrayList<>();
        issuer.getOk("/v1/licenses/" + licenseId).path("activationDetails")
                .forEach(m -> fingerprints.add(m.path("fingerprint").asText()));
        return fingerprints;
    }

    private static void ensureValidator() {
        if (!system.validator().isAlive()) {
            system.validator().start(Duration.ofSeconds(120));
        }
    }
}
