package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.client.ActivationAnswer;
import org.licensing.client.FingerprintStrategy;
import org.licensing.client.LicenseAnswer;
import org.licensing.client.LicenseClient;
import org.licensing.client.LicenseCode;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;
import org.licensing.e2e.ApiClient.Answer;
import org.licensing.examples.gpuagent.ExitCodes;
import org.licensing.examples.gpuagent.GpuAgent;
import org.licensing.store.Activation;
import org.licensing.store.LicenseItems;
import org.licensing.store.LicenseTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The product side of the story: license-client (the SDK an installed product embeds) and the example gpu-agent
 * built on it, against the packaged issuer and validator started as real processes on the local back ends. The
 * validator and the issuer sign with the keys the local system generated into its key directories (LocalSecrets); the
 * product pins them, read from those files, exactly as it would ship them (no key is fetched and trusted), and a
 * restarted validator keeps its key.
 *
 * <p>The system is the one shared by the e2e classes ({@link SharedSystem}); each test issues its own license. The
 * two tests that stop the validator run last; every test that needs it starts it again if it is down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SdkStoryIT {

    static final String PRODUCT = "gpu-orchestrator";
    /** The validator's default cache TTL is 5 s; the refusal must arrive within it plus this margin. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);
    private static final Duration MARGIN = Duration.ofSeconds(5);

    /** The keys the shared system's validator and issuer load from their key directories (LocalSecrets). */
    private static SigningKeys RECEIPT_KEYS;
    private static SigningKeys FILE_KEYS;
    /** What the product ships: the public keys of the validator's receipts and of the issuer's license files. */
    private static String PINNED;

    private static LocalSystem system;
    private static ApiClient issuer;
    private static String customerId;

    @TempDir
    static Path shared;
    private static Path pinnedFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSystem() throws IOException {
        long t0 = System.nanoTime();
        system = SharedSystem.apis();
        System.out.printf("system ready in %d ms%n", ms(t0));
        RECEIPT_KEYS = system.signingKeys(LocalSystem.VALIDATOR);
        FILE_KEYS = system.signingKeys(LocalSystem.ISSUER);
        PINNED = pinned(RECEIPT_KEYS, FILE_KEYS);
        issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
        if (issuer.get("/v1/products/" + PRODUCT).status() == 404) {
            issuer.postOk("/v1/products", Map.of("code", PRODUCT, "name", "GPU Orchestrator"));
        }
        customerId = issuer.postOk("/v1/customers", Map.of("name", "Acme GPU Cloud",
                "externalId", "crm-sdk-" + UUID.randomUUID().toString().substring(0, 8))).path("id").asText();
        pinnedFile = shared.resolve("vendor-jwks.json");
        Files.writeString(pinnedFile, PINNED);
    }

    /** (a) VALID online; the receipt is the validator's, verified against the pinned key and only that one. */
    @Test
    @Order(1)
    void validOnlineWithAReceiptSignedByThePinnedKey() throws Exception {
        ensureValidator();
        Issued license = issue(3, 0);
        // The validator publishes exactly the key the product pinned.
        JWKSet served = JWKSet.parse(new ApiClient(system.validator().url(), null).get("/.well-known/jwks.json").raw());
        assertEquals(List.of(RECEIPT_KEYS.activeKid()), served.getKeys().stream().map(JWK::getKeyID).toList());
        assertEquals(RECEIPT_KEYS.publicJwkSet().getKeys().get(0).toJSONString(),
                served.getKeys().get(0).toJSONString());

        Path cache = dir.resolve("cache");
        try (LicenseClient client = client(license, "gpu-node-a", cache, Clock.systemUTC())) {
            assertEquals(Set.of(RECEIPT_KEYS.activeKid(), FILE_KEYS.activeKid()), client.trustedKids());
            ActivationAnswer activated = client.activate();
            assertEquals(ActivationAnswer.Outcome.ACTIVATED, activated.outcome(), activated.detail());
            assertEquals(3, activated.maxActivations());

            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            LicenseAnswer a = client.validate(usage("cuda.shares", "2.5", "cuda.device", "1"));
            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertTrue(a.usable());
            assertEquals(LicenseAnswer.Source.NETWORK, a.source());
            assertEquals(license.id(), a.licenseId());
            // The default lease: 24 h from the validator's iat.
            assertEquals(a.issuedAt().plus(24, ChronoUnit.HOURS), a.leaseUntil());
            assertFalse(a.issuedAt().isBefore(before.minusSeconds(5)), a.issuedAt() + " vs " + before);
            // Entitlements come from the signed receipt, as exact decimals.
            assertEquals(new BigDecimal("16"), a.entitlements().limit("cuda.shares").orElseThrow());
            assertEquals(new BigDecimal("7.5"), a.entitlements().limit("cpu").orElseThrow());
            assertTrue(a.entitlements().feature("mig"));
            assertFalse(a.entitlements().feature("sso"));
        }

        // The receipt the SDK kept, verified on its own with license-core against the pinned validator key...
        String receipt = Files.readString(cache.resolve("receipt.jws")).strip();
        JwsVerifier.Verified verified = JwsVerifier.verify(receipt, RECEIPT_KEYS.publicJwkSet(),
                "validation-receipt+jwt");
        assertEquals(RECEIPT_KEYS.activeKid(), verified.kid());
        JWTClaimsSet claims = verified.claims();
        assertEquals("VALID", claims.getStringClaim("code"));
        assertEquals(license.id(), claims.getStringClaim("license_id"));
        assertEquals(PRODUCT, claims.getStringClaim("product"));
        assertEquals("gpu-node-a", claims.getStringClaim("fingerprint"));
        // ... and not with any other key (the issuer's, say).
        assertThrows(JwsVerificationException.class,
                () -> JwsVerifier.verify(receipt, FILE_KEYS.publicJwkSet(), "validation-receipt+jwt"));

        // A product that pinned other keys (here only the issuer's) trusts nothing the validator says.
        try (LicenseClient wrongPins = LicenseClient.builder().validatorUrl(system.validator().url())
                .productCode(PRODUCT).licenseKey(license.key()).pinnedKeys(FILE_KEYS.publicJwkSetJson())
                .cacheDirectory(dir.resolve("wrong-pins")).fingerprint(FingerprintStrategy.supplied("gpu-node-a"))
                .build()) {
            LicenseAnswer a = wrongPins.validate();
            assertEquals(LicenseCode.INVALID_RECEIPT, a.code(), a.detail());
            assertFalse(a.usable());
            assertEquals(LicenseCode.UNCONFIRMED, wrongPins.check().code(), "an untrusted receipt is not cached");
        }
    }

    /** (f) A decimal limit of 16 cuda.shares: 16.5 is over online (the validator) and offline (check). */
    @Test
    @Order(2)
    void decimalLimitOnlineAndOffline() {
        ensureValidator();
        Issued license = issue(3, 0);
        Path cache = dir.resolve("cache");
        try (LicenseClient client = client(license, "gpu-node-a", cache, Clock.systemUTC())) {
            assertTrue(client.activate().ok());
            LicenseAnswer fits = client.validate(usage("cuda.shares", "15.5"));
            assertEquals(LicenseCode.VALID, fits.code(), fits.detail());
            assertEquals(LicenseAnswer.Source.NETWORK, fits.source());

            LicenseAnswer over = client.validate(usage("cuda.shares", "16.5"));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, over.code(), over.detail());
            assertEquals(LicenseAnswer.Source.NETWORK, over.source());
            assertEquals("cuda.shares", over.limit());
            assertFalse(over.usable());
            assertNull(over.leaseUntil());
            assertEquals(LicenseCode.VALID, client.validate(usage("cuda.shares", "16.000")).code(), "at the limit");

            // Offline, against the limits signed into the cached receipt (LIMIT_EXCEEDED never replaces the lease).
            LicenseAnswer offOver = client.check(usage("cuda.shares", "16.5"));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, offOver.code(), offOver.detail());
            assertEquals(LicenseAnswer.Source.CACHE, offOver.source());
            assertEquals("cuda.shares", offOver.limit());
            assertEquals(LicenseCode.LIMIT_EXCEEDED, client.check(usage("cuda.shares", "16.000001")).code());
            LicenseAnswer offFits = client.check(usage("cuda.shares", "15.5", "cuda.device", "2"));
            assertEquals(LicenseCode.VALID, offFits.code(), offFits.detail());
            assertEquals(LicenseAnswer.Source.CACHE, offFits.source());
            assertEquals(LicenseCode.LIMIT_EXCEEDED, client.check(usage("cuda.device", "2.5")).code());
        }

        // The same through the example agent, sharing the product's cache directory.
        Map<String, String> env = agentEnv(license, "gpu-node-a", cache);
        AgentRun over = agent(env, Clock.systemUTC(), "validate", "--usage", "cuda.shares=16.5,cuda.device=1");
        assertEquals(ExitCodes.LIMIT_EXCEEDED, over.code(), over.toString());
        assertTrue(over.out().contains("exceeded:    cuda.shares"), over.out());
        AgentRun fits = agent(env, Clock.systemUTC(), "validate", "--usage", "cuda.shares=15.5,cuda.device=1");
        assertEquals(ExitCodes.USABLE, fits.code(), fits.toString());
        AgentRun offOver = agent(env, Clock.systemUTC(), "check", "--usage", "cuda.shares=16.5");
        assertEquals(ExitCodes.LIMIT_EXCEEDED, offOver.code(), offOver.toString());
        assertTrue(offOver.out().contains("source:      CACHE"), offOver.out());
        AgentRun status = agent(env, Clock.systemUTC(), "status");
        assertEquals(ExitCodes.USABLE, status.code(), status.toString());
        assertTrue(status.out().contains("limits:      cpu=7.5 cuda.device=2 cuda.shares=16 nodes=8"), status.out());
        assertTrue(status.out().contains("source:      NETWORK"), status.out());
    }

    /** (d) One seat: a second machine gets TOO_MANY_ACTIVATIONS; heartbeats move lastSeenAt on the validator. */
    @Test
    @Order(3)
    void activationLimitAndHeartbeats() {
        ensureValidator();
        Issued license = issue(1, 1);
        try (LicenseClient a = LicenseClient.builder().validatorUrl(system.validator().url()).productCode(PRODUCT)
                .licenseKey(license.key()).pinnedKeys(PINNED).cacheDirectory(dir.resolve("a"))
                .fingerprint(FingerprintStrategy.supplied("gpu-node-a"))
                .heartbeatInterval(Duration.ofMillis(300)).build();
                LicenseClient b = client(license, "gpu-node-b", dir.resolve("b"), Clock.systemUTC())) {
            ActivationAnswer first = a.activate();
            assertEquals(ActivationAnswer.Outcome.ACTIVATED, first.outcome(), first.detail());
            assertEquals(1, first.activeMachines());
            assertEquals(1, first.maxActivations());
            assertNotNull(first.heartbeatDueBy(), "a floating seat (heartbeatHours 1) has a heartbeat deadline");
            assertTrue(a.heartbeatsRunning());
            assertEquals(ActivationAnswer.Outcome.ALREADY_ACTIVE, a.activate().outcome());
            assertEquals(LicenseCode.VALID, a.validate().code());

            // The background heartbeats advance the validator's lastSeenAt without the product doing anything.
            Instant seen = activation(license.id(), "gpu-node-a").lastSeenAt();
            long t0 = System.nanoTime();
            Instant later = await(() -> activation(license.id(), "gpu-node-a").lastSeenAt(), t -> t.isAfter(seen),
                    Duration.ofSeconds(20), "lastSeenAt to advance past " + seen);
            System.out.printf("heartbeat moved lastSeenAt %s -> %s after %d ms%n", seen, later, ms(t0));
            ActivationAnswer beat = a.heartbeat();
            assertEquals(ActivationAnswer.Outcome.SEEN, beat.outcome(), beat.detail());
            assertTrue(beat.heartbeatDueBy().isAfter(first.heartbeatDueBy()), beat + " vs " + first);

            // The seat is taken: the second machine is refused, and so are its validations.
            ActivationAnswer second = b.activate();
            assertEquals(ActivationAnswer.Outcome.REFUSED, second.outcome(), second.detail());
            assertEquals(LicenseCode.TOO_MANY_ACTIVATIONS, second.code());
            assertEquals(1, second.maxActivations());
            assertFalse(b.heartbeatsRunning());
            assertEquals(LicenseCode.FINGERPRINT_MISMATCH, b.validate().code());
            AgentRun agentB = agent(agentEnv(license, "gpu-node-b", dir.resolve("agent-b")), Clock.systemUTC(),
                    "activate");
            assertEquals(ExitCodes.REFUSED, agentB.code(), agentB.toString());
            assertTrue(agentB.out().contains("code:        TOO_MANY_ACTIVATIONS"), agentB.out());

            // Free A's seat: stop its heartbeats first (close), then deactivate with a client that sends none
            // (deactivate() on the heartbeating client races with a heartbeat that would re-activate it).
            a.close();
            try (LicenseClient freeA = client(license, "gpu-node-a", dir.resolve("a"), Clock.systemUTC())) {
                ActivationAnswer freed = freeA.deactivate();
                assertEquals(ActivationAnswer.Outcome.DEACTIVATED, freed.outcome(), freed.detail());
                assertEquals(LicenseCode.FINGERPRINT_MISMATCH, freeA.validate().code());
            }
            assertEquals(ActivationAnswer.Outcome.ACTIVATED, b.activate().outcome());
            assertEquals(LicenseCode.VALID, b.validate().code());
            assertEquals(Set.of("gpu-node-b"), activations(license.id()).keySet());
        }
    }

    /** The example agent's main loop: activate, validate, heartbeats in the background, free the seat on stop. */
    @Test
    @Order(4)
    void agentRunsWithHeartbeatsUntilStopped() throws Exception {
        ensureValidator();
        Issued license = issue(1, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GpuAgent agent = new GpuAgent(agentEnv(license, "gpu-node-run", dir.resolve("cache")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(agent.run("run", "--heartbeat", "--heartbeat-interval", "300ms",
                "--check-interval", "1s", "--deactivate-on-exit")), "gpu-agent-run");
        running.start();
        try {
            Instant seen = await(() -> activations(license.id()).get("gpu-node-run"), a -> a != null,
                    Duration.ofSeconds(20), "the agent to activate").lastSeenAt();
            await(() -> activation(license.id(), "gpu-node-run").lastSeenAt(), t -> t.isAfter(seen),
                    Duration.ofSeconds(20), "the agent's heartbeats to advance lastSeenAt");
            await(() -> out.toString(StandardCharsets.UTF_8), o -> o.contains(" VALID NETWORK lease-until="),
                    Duration.ofSeconds(20), "the agent to validate");
        } finally {
            agent.stop();
            running.join(30_000);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertFalse(running.isAlive(), printed);
        assertEquals(ExitCodes.USABLE, exit.get(), printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("outcome:     ACTIVATED"), printed);
        assertTrue(printed.contains("heartbeats:  every PT0.3S"), printed);
        assertTrue(printed.contains("outcome:     DEACTIVATED"), printed);
        assertEquals(Map.of(), activations(license.id()), "the seat is free after the agent stopped");
    }

    /** (c) Revoked through the issuer: the SDK gets REVOKED within the validator's cache bound, and keeps it. */
    @Test
    @Order(5)
    void revokedLicenseIsRefusedWithinTheCacheBound() {
        ensureValidator();
        Issued license = issue(3, 0);
        Path cache = dir.resolve("cache");
        try (LicenseClient client = client(license, "gpu-node-a", cache, Clock.systemUTC())) {
            assertTrue(client.activate().ok());
            LicenseAnswer valid = client.validate();
            assertEquals(LicenseCode.VALID, valid.code(), valid.detail());

            long called = System.nanoTime();
            JsonNode revoked = issuer.postOk("/v1/licenses/" + license.id() + "/revoke",
                    Map.of("reason", "contract ended (e2e)"));
            long answered = System.nanoTime();
            assertEquals("REVOKED", revoked.path("status").asText());
            // The bound runs from the call, not from its answer: a slow revoke must not lengthen the wait.
            LicenseAnswer refused = awaitUntil(client::validate, a -> a.code() == LicenseCode.REVOKED,
                    called + REVOCATION_BOUND.plus(MARGIN).toNanos(), "REVOKED from the validator within "
                            + REVOCATION_BOUND.plus(MARGIN) + " of the revoke call");
            System.out.printf("SDK got REVOKED %d ms after the revoke call returned (%d ms after it was sent;"
                    + " bound %d s)%n", ms(answered), ms(called), REVOCATION_BOUND.toSeconds());
            assertEquals(LicenseAnswer.Source.NETWORK, refused.source());
            assertFalse(refused.usable());
            assertNull(refused.leaseUntil());

            // The refusal replaced the 24 h lease: offline answers say REVOKED too, also after a restart.
            assertEquals(LicenseCode.REVOKED, client.check().code());
            assertEquals(LicenseCode.REVOKED, client.check().code());
        }
        try (LicenseClient restarted = client(license, "gpu-node-a", cache, Clock.systemUTC())) {
            LicenseAnswer a = restarted.check();
            assertEquals(LicenseCode.REVOKED, a.code(), a.detail());
            assertEquals(LicenseAnswer.Source.CACHE, a.source());
        }
        try (LicenseClient another = client(license, "gpu-node-b", dir.resolve("b"), Clock.systemUTC())) {
            ActivationAnswer refused = another.activate();
            assertEquals(ActivationAnswer.Outcome.REFUSED, refused.outcome(), refused.detail());
            assertEquals(LicenseCode.REVOKED, refused.code());
        }
        AgentRun agent = agent(agentEnv(license, "gpu-node-a", cache), Clock.systemUTC(), "validate");
        assertEquals(ExitCodes.REFUSED, agent.code(), agent.toString());
    }

    /** (b) Validator stopped: the cached lease answers (CACHE) until it ends, then OFFLINE_EXPIRED. */
    @Test
    @Order(6)
    void validatorDownTheLeaseAnswersUntilItEnds() {
        ensureValidator();
        Issued license = issue(3, 0);
        Path cache = dir.resolve("cache");
        MovableClock clock = new MovableClock();
        Instant leaseUntil;
        try (LicenseClient client = client(license, "gpu-node-a", cache, clock)) {
            assertTrue(client.activate().ok());
            LicenseAnswer online = client.validate();
            assertEquals(LicenseCode.VALID, online.code(), online.detail());
            assertEquals(LicenseAnswer.Source.NETWORK, online.source());
            leaseUntil = online.leaseUntil();

            long t0 = System.nanoTime();
            stopValidator();
            System.out.printf("validator stopped in %d ms%n", ms(t0));

            LicenseAnswer cached = client.validate(usage("cuda.shares", "8"));
            assertEquals(LicenseCode.VALID, cached.code(), cached.detail());
            assertEquals(LicenseAnswer.Source.CACHE, cached.source());
            assertTrue(cached.detail().contains("could not be reached"), cached.detail());
            assertEquals(leaseUntil, cached.leaseUntil());
            assertEquals(LicenseCode.LIMIT_EXCEEDED, client.validate(usage("cuda.shares", "16.5")).code());
            assertEquals(ActivationAnswer.Outcome.UNAVAILABLE, client.heartbeat().outcome());
        }
        // A restarted product (same cache directory) still runs on the lease, until the lease's last second...
        clock.setTo(leaseUntil.minusSeconds(1));
        try (LicenseClient restarted = client(license, "gpu-node-a", cache, clock)) {
            LicenseAnswer lastSecond = restarted.validate();
            assertEquals(LicenseCode.VALID, lastSecond.code(), lastSecond.detail());
            assertEquals(LicenseAnswer.Source.CACHE, lastSecond.source());
        }
        AgentRun status = agent(agentEnv(license, "gpu-node-a", cache), clock, "status");
        assertEquals(ExitCodes.USABLE, status.code(), status.toString());
        assertTrue(status.out().contains("source:      CACHE"), status.out());
        assertTrue(status.out().contains("lease-until: " + leaseUntil), status.out());

        // ... and not after it ends.
        clock.setTo(leaseUntil);
        try (LicenseClient restarted = client(license, "gpu-node-a", cache, clock)) {
            LicenseAnswer ended = restarted.validate();
            assertEquals(LicenseCode.OFFLINE_EXPIRED, ended.code(), ended.detail());
            assertEquals(LicenseAnswer.Source.CACHE, ended.source());
            assertFalse(ended.usable());
            assertEquals(LicenseCode.OFFLINE_EXPIRED, restarted.check().code());
        }
        AgentRun expired = agent(agentEnv(license, "gpu-node-a", cache), clock, "validate");
        assertEquals(ExitCodes.UNCONFIRMED, expired.code(), expired.toString());
        assertTrue(expired.out().contains("OFFLINE_EXPIRED"), expired.out());

        // A machine that never reached the validator has nothing to go on.
        try (LicenseClient fresh = client(license, "gpu-node-z", dir.resolve("fresh"), Clock.systemUTC())) {
            LicenseAnswer none = fresh.validate();
            assertEquals(LicenseCode.UNCONFIRMED, none.code(), none.detail());
            assertEquals(LicenseAnswer.Source.NONE, none.source());
        }
    }

    /** (e) Air-gapped: the license file from the issuer, decrypted with the key and verified, no validator. */
    @Test
    @Order(7)
    void licenseFileWithoutAnyValidator() throws Exception {
        Issued license = issue(1, 0);
        Issued other = issue(1, 0);
        String machine = "host-" + "5".repeat(64);
        JsonNode checkout = checkout(license, machine);
        String jwe = checkout.path("file").asText();
        Instant until = Instant.parse(checkout.path("until").asText());
        assertEquals(5, jwe.split("\\.", -1).length, "a JWE: " + jwe);
        stopValidator();

        Path file = dir.resolve("acme.checkout");
        Files.writeString(file, jwe);
        try (LicenseClient client = fileClient(license.key(), machine, file, PINNED)) {
            LicenseAnswer a = client.check();
            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertEquals(LicenseAnswer.Source.LICENSE_FILE, a.source());
            assertEquals(license.id(), a.licenseId());
            // A checkout states instants in whole seconds (JWT NumericDate); the issuer's record has millis.
            Instant expires = license.expiresAt().truncatedTo(ChronoUnit.SECONDS);
            assertEquals(expires, a.expiresAt());
            assertEquals(until, a.leaseUntil(), "usable until the checkout ends");
            assertEquals(new BigDecimal("16"), a.entitlements().limit("cuda.shares").orElseThrow());
            assertEquals(new BigDecimal("7.5"), a.entitlements().limit("cpu").orElseThrow());
            assertEquals(new BigDecimal("8"), a.entitlements().limit("nodes").orElseThrow());
            assertEquals(Map.of("mig", true), a.entitlements().features());

            LicenseAnswer over = client.check(usage("cuda.shares", "16.5"));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, over.code(), over.detail());
            assertEquals("cuda.shares", over.limit());
            assertEquals(LicenseCode.VALID, client.check(usage("cuda.shares", "15.5")).code());
            assertEquals(LicenseAnswer.Source.LICENSE_FILE, client.validate().source(), "no network in this mode");
        }

        // The same file on its own with license-core: the key opens it on that machine, the issuer's key signed it.
        assertEquals(FILE_KEYS.activeKid(), CheckoutFiles.open(jwe, LicenseKey.parse(license.key()), machine,
                FILE_KEYS.publicJwkSet(), null, Instant.now(), Duration.ZERO).kid());

        // Not usable: with only the validator's key pinned, with another license's key, on another machine.
        try (LicenseClient receiptKeyOnly = fileClient(license.key(), machine, file, RECEIPT_KEYS.publicJwkSetJson())) {
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, receiptKeyOnly.check().code());
        }
        try (LicenseClient otherKey = fileClient(other.key(), machine, file, PINNED)) {
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, otherKey.check().code());
        }
        try (LicenseClient otherMachine = fileClient(license.key(), "host-" + "6".repeat(64), file, PINNED)) {
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, otherMachine.check().code());
        }

        // The agent on the air-gapped machine.
        Map<String, String> env = new HashMap<>(agentEnv(license, machine, dir.resolve("agent")));
        env.remove("GPU_AGENT_VALIDATOR_URL");
        env.put("GPU_AGENT_LICENSE_FILE", file.toString());
        AgentRun status = agent(env, Clock.systemUTC(), "status");
        assertEquals(ExitCodes.USABLE, status.code(), status.toString());
        assertTrue(status.out().contains("source:      LICENSE_FILE"), status.out());
        assertTrue(status.out().contains("limits:      cpu=7.5 cuda.device=2 cuda.shares=16 nodes=8"), status.out());
        assertEquals(ExitCodes.LIMIT_EXCEEDED, agent(env, Clock.systemUTC(), "check", "--usage",
                "cuda.shares=16.5").code());
        assertEquals(ExitCodes.USABLE, agent(env, Clock.systemUTC(), "check", "--usage",
                "cuda.shares=15.5,cuda.device=2").code());
        assertFalse(system.validator().isAlive(), "all of this without a validator");
    }

    // --- the vendor side: keys, policies, licenses ---

    record Issued(String id, String key, Instant expiresAt) {
    }

    /**
     * A license of a fresh policy: 365 days, 14 days of grace, {@code cuda.shares} 16, {@code cuda.device} 2,
     * {@code cpu} 7.5, {@code nodes} 8, feature {@code mig}.
     */
    private static Issued issue(int maxActivations, int heartbeatHours) {
        JsonNode policy = issuer.postOk("/v1/policies", Map.of(
                "productCode", PRODUCT,
                "name", "GPU annual, " + maxActivations + " machines",
                "durationDays", 365,
                "graceDays", 14,
                "maxActivations", maxActivations,
                "heartbeatHours", heartbeatHours,
                "maxDeactivationsPerDay", 5,
                "overagePercent", 0,
                "entitlements", Map.of("features", Map.of("mig", true), "limits", Map.of(
                        "cuda.shares", new BigDecimal("16"), "cuda.device", new BigDecimal("2"),
                        "cpu", new BigDecimal("7.5"), "nodes", new BigDecimal("8")))));
        JsonNode license = issuer.postOk("/v1/licenses", Map.of("customerId", customerId,
                "policyId", policy.path("id").asText()));
        assertEquals("16", license.path("entitlements").path("limits").path("cuda.shares").asText(), license.toString());
        return new Issued(license.path("licenseId").asText(), license.path("licenseKey").asText(),
                Instant.parse(license.path("expiresAt").asText()));
    }

    /** A checkout for {@code machine}, made from the request the machine wrote: what an operator carries back. */
    private static JsonNode checkout(Issued license, String machine) {
        String request = CheckoutRequest.of(UUID.fromString(license.id()), PRODUCT, machine, Instant.now(),
                "sdk-story").toJson();
        Answer made = issuer.post("/v1/licenses/" + license.id() + "/checkouts", Map.of("request", request,
                "durationDays", 30, "reason", "air-gapped install"));
        assertEquals(201, made.status(), made.raw());
        return made.body();
    }

    private static String pinned(SigningKeys... keys) {
        List<JWK> all = new ArrayList<>();
        for (SigningKeys k : keys) {
            all.addAll(k.publicJwkSet().getKeys());
        }
        return new JWKSet(all).toString(true);
    }

    // --- the product side ---

    private static LicenseClient client(Issued license, String fingerprint, Path cache, Clock clock) {
        return LicenseClient.builder()
                .validatorUrl(system.validator().url())
                .productCode(PRODUCT)
                .licenseKey(license.key())
                .pinnedKeys(PINNED)
                .cacheDirectory(cache)
                .fingerprint(FingerprintStrategy.supplied(fingerprint))
                .clock(clock)
                .build();
    }

    private LicenseClient fileClient(String key, String machine, Path file, String pinnedKeys) {
        return LicenseClient.builder().productCode(PRODUCT).licenseKey(key).pinnedKeys(pinnedKeys)
                .fingerprint(FingerprintStrategy.supplied(machine)).licenseFile(file).cacheDirectory(dir.resolve("file-cache-" + UUID.randomUUID())).build();
    }

    private static Map<String, String> agentEnv(Issued license, String fingerprint, Path cache) {
        return Map.of(
                "GPU_AGENT_VALIDATOR_URL", system.validator().url().toString(),
                "GPU_AGENT_PRODUCT", PRODUCT,
                "GPU_AGENT_LICENSE_KEY", license.key(),
                "GPU_AGENT_PINNED_KEYS", pinnedFile.toString(),
                "GPU_AGENT_CACHE_DIR", cache.toString(),
                "GPU_AGENT_FINGERPRINT", "supplied:" + fingerprint);
    }

    private static AgentRun agent(Map<String, String> env, Clock clock, String... args) {
        return AgentRun.of(env, clock, args);
    }

    private static Map<String, BigDecimal> usage(String... nameValue) {
        Map<String, BigDecimal> usage = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            usage.put(nameValue[i], new BigDecimal(nameValue[i + 1]));
        }
        return usage;
    }

    // --- the system ---

    private static void ensureValidator() {
        if (!system.validator().isAlive()) {
            long t0 = System.nanoTime();
            system.validator().start(Duration.ofSeconds(120));
            System.out.printf("validator restarted in %d ms%n", ms(t0));
        }
    }

    private static void stopValidator() {
        system.validator().close();
        assertFalse(system.validator().isAlive());
    }

    /** The validator's activation records of a license, read from DynamoDB (consistent read). */
    private static Map<String, Activation> activations(String licenseId) {
        var item = system.backends().dynamoDbClient().getItem(GetItemRequest.builder()
                .tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(LicenseTable.licensePk(licenseId))))
                .consistentRead(true).build()).item();
        return LicenseItems.fromItem(item).activations();
    }

    private static Activation activation(String licenseId, String fingerprint) {
        Activation a = activations(licenseId).get(fingerprint);
        assertNotNull(a, fingerprint + " is not active on " + licenseId);
        return a;
    }

    /** Polls {@code probe} until {@code done} holds, failing after {@code within}; no fixed sleeps. */
    private static <T> T await(Supplier<T> probe, Predicate<T> done, Duration within, String what) {
        return awaitUntil(probe, done, System.nanoTime() + within.toNanos(), what + " (waited " + within + ")");
    }

    /** As {@link #await}, until {@code deadline} (a {@link System#nanoTime()} value). */
    private static <T> T awaitUntil(Supplier<T> probe, Predicate<T> done, long deadline, String what) {
        T last;
        do {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        fail("waited for " + what + "; last: " + last);
        return last;
    }

    private static long ms(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
    }

    /** The system clock shifted by an offset a test sets (the SDK's injected Clock), to pass a lease's end. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void setTo(Instant instant) {
            offset.set(Duration.between(Instant.now(), instant));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
