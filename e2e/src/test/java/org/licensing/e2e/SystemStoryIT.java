package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.key.LicenseKey;
import org.licensing.testsupport.QueueUrls;
import org.licensing.testsupport.SentEmail;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The product story over HTTP only, against the packaged services started as real processes on the local back ends
 * (the system shared by the e2e classes): issue, validate (signed receipt), activate up to the limit, revoke,
 * regenerate the key, reminders, renew, a validator crash under load and an issuer restart.
 */
class SystemStoryIT {

    /** A change in the issuer reaches every validator answer that starts this long after the issuer's call began. */
    private static final Duration CACHE_BOUND = Await.CACHE_BOUND;
    /** Validator load threads, one license key each (the per-key rate limit is the key's own business). */
    private static final int LOAD_THREADS = 4;
    /**
     * Pause between one thread's requests: 4 threads at about 6/s each stay under the local rate limits (10/s per
     * key, 50/s per client address), so every answer is meant to be VALID, never 429.
     */
    private static final Duration LOAD_PACE = Duration.ofMillis(150);

    private static LocalSystem system;
    private static ApiClient issuer;
    private static ApiClient validator;
    private static ApiClient notification;

    @BeforeAll
    static void startSystem() {
        system = SharedSystem.apis();
        issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
        validator = new ApiClient(system.validator().url(), null);
        notification = ApiClient.bearer(system.notification().url(), system.operatorToken());
    }

    @BeforeEach
    void servicesUp() {
        system.ensureRunning();
    }

    @Test
    void issueValidateActivateRevoke() throws Exception {
        DemoSeed.Seeded license = new DemoSeed(system).seed(Instant.now().plus(90, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));

        // The policy locks the license to 3 machines: without a fingerprint it is no use.
        JsonNode locked = validate(license.licenseKey(), "nonce-" + UUID.randomUUID(), null);
        assertEquals("FINGERPRINT_MISMATCH", locked.path("code").asText(), locked.toString());

        // Activate machines up to the policy's limit of 3; the fourth is refused.
        for (int i = 1; i <= 3; i++) {
            ApiClient.Answer activated = validator.post("/v1/activations",
                    Map.of("key", license.licenseKey(), "fingerprint", "machine-" + i, "productCode",
                            DemoSeed.PRODUCT_CODE), null);
            assertEquals(201, activated.status(), activated.raw());
        }
        ApiClient.Answer fourth = validator.post("/v1/activations", Map.of("key", license.licenseKey(),
                "fingerprint", "machine-4", "productCode", DemoSeed.PRODUCT_CODE), null);
        assertEquals(409, fourth.status(), fourth.raw());

        // Validate on an activated machine: VALID, and the receipt verifies with the validator's published JWK Set.
        String nonce = "nonce-" + UUID.randomUUID();
        JsonNode answer = validate(license.licenseKey(), nonce, "machine-1");
        assertEquals("VALID", answer.path("code").asText(), answer.toString());
        JWKSet jwks = JWKSet.parse(validator.get("/.well-known/jwks.json").raw());
        JWTClaimsSet receipt = JwsVerifier.verify(answer.path("receipt").asText(), jwks, "validation-receipt+jwt")
                .claims();
        assertEquals(nonce, receipt.getStringClaim("nonce"));
        assertEquals("VALID", receipt.getStringClaim("code"));
        assertEquals(license.licenseId(), receipt.getStringClaim("license_id"));
        assertEquals("VALID", validate(license.licenseKey(), "n2", "machine-2").path("code").asText());

        // Revoke in the issuer; the validator refuses within its cache bound, timed from the revoke call.
        long revokeCalled = System.nanoTime();
        JsonNode revoked = issuer.postOk("/v1/licenses/" + license.licenseId() + "/revoke",
                Map.of("reason", "customer asked to end the contract"));
        assertEquals("REVOKED", revoked.path("status").asText());
        long after = Await.withinCacheBound(revokeCalled,
                () -> validate(license.licenseKey(), "n3", null).path("code").asText(), "REVOKED");
        System.out.printf("validator refused the revoked license %d ms after the revoke call (bound %d s)%n",
                after, CACHE_BOUND.toSeconds());
    }

    /** Regenerate the key: the old key is refused (NOT_FOUND) within the cache bound, the new one is VALID. */
    @Test
    void regeneratedKeyReplacesTheOldOneWithinTheCacheBound() {
        DemoSeed.Seeded license = new DemoSeed(system).seed(Instant.now().plus(90, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));
        assertEquals(201, validator.post("/v1/activations", Map.of("key", license.licenseKey(), "fingerprint",
                "machine-1", "productCode", DemoSeed.PRODUCT_CODE), null).status()); // 3 machines at most
        assertEquals("VALID", validate(license.licenseKey(), "before", "machine-1").path("code").asText());

        long regenerateCalled = System.nanoTime();
        JsonNode regenerated = issuer.postOk("/v1/licenses/" + license.licenseId() + "/regenerate-key",
                Map.of("reason", "key leaked in a public repository"));
        String newKey = regenerated.path("licenseKey").asText();
        assertFalse(newKey.isBlank(), regenerated.toString());
        assertFalse(newKey.equals(license.licenseKey()), "a new key");

        long oldRefused = Await.withinCacheBound(regenerateCalled,
                () -> validate(license.licenseKey(), "old", null).path("code").asText(), "NOT_FOUND");
        long newValid = Await.withinCacheBound(regenerateCalled,
                () -> validate(newKey, "new", "machine-1").path("code").asText(), "VALID");
        System.out.printf("after the key regeneration: old key refused after %d ms, new key valid after %d ms "
                + "(bound %d s)%n", oldRefused, newValid, CACHE_BOUND.toSeconds());
        // And the old key stays refused.
        assertEquals("NOT_FOUND", validate(license.licenseKey(), "old-again", null).path("code").asText());
    }

    @Test
    void reminderReachesFinanceOnceAndNotAgainAfterRenewal() {
        Instant expiresAt = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        DemoSeed.Seeded license = new DemoSeed(system).seed(expiresAt);
        LocalDate runDate = LocalDate.ofInstant(expiresAt, ZoneOffset.UTC).minusDays(7);

        JsonNode run = ApiClient.ok(notification.post("/v1/reminders/runs", Map.of("date", runDate.toString())),
                "reminder run");
        assertTrue(run.path("messagesQueued").asInt() >= 1, run.toString());
        // A second run for the same day (a retried scheduler) must not lead to a second email.
        ApiClient.ok(notification.post("/v1/reminders/runs", Map.of("date", runDate.toString())), "second run");

        // Both runs' messages consumed (the queue holds none, visible or in flight): only then count the emails.
        awaitQueueDrained(Duration.ofSeconds(60));
        List<SentEmail> emails = emailsFor(license.licenseId());
        assertEquals(1, emails.size(), "one reminder for two runs of the same day: " + emails);
        SentEmail email = emails.get(0);
        assertTrue(email.allRecipients().contains(DemoSeed.FINANCE_CONTACT), email.toString());
        assertTrue(email.allRecipients().contains(LocalSystem.VENDOR_FINANCE_EMAIL), email.toString());
        assertTrue(email.text().contains("Acme GPU Cloud"), email.text());
        assertTrue(email.text().contains("Days left: 7"), email.text());
        assertNotNull(email.html());

        // Renew: the license leaves that expiry day, so rerunning the day sends nothing more for it.
        JsonNode renewed = issuer.postOk("/v1/licenses/" + license.licenseId() + "/renew", Map.of("extendDays", 365));
        assertEquals(expiresAt.plus(365, ChronoUnit.DAYS), Instant.parse(renewed.path("expiresAt").asText()));
        ApiClient.ok(notification.post("/v1/reminders/runs", Map.of("date", runDate.toString())), "run after renewal");
        awaitQueueDrained(Duration.ofSeconds(60));
        assertEquals(1, emailsFor(license.licenseId()).size(), "no second reminder after the renewal");
    }

    @Test
    void validatorKilledUnderLoadNeverAnswersWrongAndServesAgain() throws Exception {
        List<String> keys = new ArrayList<>();
        DemoSeed seed = new DemoSeed(system);
        for (int t = 0; t < LOAD_THREADS; t++) {
            String key = seed.seed(Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                    .licenseKey();
            // The demo policy locks licenses to 3 machines: each load thread validates as one activated machine.
            ApiClient.Answer activated = validator.post("/v1/activations", Map.of("key", key, "fingerprint",
                    "load-" + t, "productCode", DemoSeed.PRODUCT_CODE), null);
            assertEquals(201, activated.status(), activated.raw());
            keys.add(key);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean restarted = new AtomicBoolean(false);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger[] validBefore = new AtomicInteger[LOAD_THREADS];
        AtomicInteger[] validAfter = new AtomicInteger[LOAD_THREADS];
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger connectionLost = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < LOAD_THREADS; t++) {
            int index = t;
            validBefore[t] = new AtomicInteger();
            validAfter[t] = new AtomicInteger();
            Thread thread = new Thread(() -> {
                ApiClient client = new ApiClient(system.validator().url(), null);
                try {
                    while (running.get()) {
                        try {
                            ApiClient.Answer a = client.post("/v1/validate", Map.of("key", keys.get(index),
                                    "productCode", DemoSeed.PRODUCT_CODE, "nonce", "load", "fingerprint",
                                    "load-" + index), null);
                            if (a.status() == 200 && "VALID".equals(a.body().path("code").asText())) {
                                (restarted.get() ? validAfter : validBefore)[index].incrementAndGet();
                            } else if (a.status() == 503) {
                                unavailable.incrementAndGet(); // honest: starting, or its back end is away
                            } else {
                                wrong.add(a.status() + " " + a.raw());
                            }
                        } catch (UncheckedIOException down) {
                            connectionLost.incrementAndGet(); // refused or reset: the validator is down
                        }
                        sleep(LOAD_PACE);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "validator-load-" + t);
            thread.start();
            load.add(thread);
        }
        try {
            Await.until(() -> Arrays.stream(validBefore).allMatch(n -> n.get() >= 3), Duration.ofSeconds(30),
                    "every load thread validated before the kill");
            system.validator().kill();
            Await.until(() -> connectionLost.get() > 0, Duration.ofSeconds(30), "a request refused while it is down");
            restarted.set(true);
            system.validator().start(Duration.ofSeconds(120));
            Await.until(() -> Arrays.stream(validAfter).allMatch(n -> n.get() >= 3), Duration.ofSeconds(30),
                    "every load thread validated again after the restart");
        } finally {
            running.set(false);
            for (Thread thread : load) {
                thread.join(10_000);
            }
        }
        System.out.printf("validator crash: %s VALID before the kill, %s after the restart, %d connections lost, "
                + "%d 503s%n", Arrays.toString(validBefore), Arrays.toString(validAfter), connectionLost.get(),
                unavailable.get());
        assertTrue(failures.isEmpty(), "load threads failed: " + failures);
        assertTrue(wrong.isEmpty(), "wrong answers: " + wrong);
    }

    /**
     * An issuer restarted with the same configuration (the local run's secrets) replays its stored idempotent
     * answer, the license key included, and a license file it signed before the restart still verifies.
     */
    @Test
    void restartedIssuerReadsItsIdempotentAnswersAndItsFilesStillVerify() throws Exception {
        DemoSeed.Seeded demo = new DemoSeed(system).seed(Instant.now().plus(60, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));
        String idempotencyKey = "restart-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("customerId", demo.customerId(), "policyId", demo.policyId());
        ApiClient.Answer first = issuer.post("/v1/licenses", body, idempotencyKey);
        assertEquals(201, first.status(), first.raw());
        String licenseId = first.body().path("licenseId").asText();
        LicenseKey key = LicenseKey.parse(first.body().path("licenseKey").asText());
        String jws = CheckoutFiles.decrypt(checkout(licenseId, "host-restart"), key, "host-restart");

        system.issuer().close();
        system.issuer().start(Duration.ofSeconds(120));

        ApiClient.Answer again = issuer.post("/v1/licenses", body, idempotencyKey);
        assertEquals(201, again.status(), again.raw());
        assertEquals("true", again.header("Idempotent-Replayed"), again.headers().toString());
        assertEquals(licenseId, again.body().path("licenseId").asText());
        assertEquals(first.body().path("licenseKey").asText(), again.body().path("licenseKey").asText());

        // The file signed before the restart verifies with the key set the restarted issuer publishes...
        JWKSet published = JWKSet.parse(new ApiClient(system.issuer().url(), null).get("/.well-known/jwks.json").raw());
        assertEquals(licenseId, JwsVerifier.verify(jws, published, CheckoutFiles.TYP).claims().getJWTID());
        // ... which holds exactly the key kept in the local secrets.
        assertEquals(system.signingKeys(LocalSystem.ISSUER).publicJwkSet().toJSONObject(), published.toJSONObject());
    }

    private static JsonNode validate(String key, String nonce, String fingerprint) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "productCode", DemoSeed.PRODUCT_CODE,
                "nonce", nonce));
        if (fingerprint != null) {
            body.put("fingerprint", fingerprint);
        }
        ApiClient.Answer a = validator.post("/v1/validate", body, null);
        assertEquals(200, a.status(), a.raw());
        return a.body();
    }

    /**
     * Until the reminder queue holds no message, visible, in flight or delayed (the consumer has taken and finished
     * every message queued so far), and the dead-letter queue is empty.
     */
    private static void awaitQueueDrained(Duration within) {
        QueueUrls queues = system.backends().reminderQueues();
        try (SqsClient sqs = system.backends().sqsClient()) {
            Await.until(() -> depth(sqs, queues.queueUrl()) == 0, within, "the reminder queue drained");
            assertEquals(0, depth(sqs, queues.deadLetterQueueUrl()), "reminders in the dead-letter queue");
        }
    }

    private static int depth(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** A checkout of the license for machine {@code fingerprint}: the JWE an operator carries to it. */
    private static String checkout(String licenseId, String fingerprint) {
        String request = CheckoutRequest.of(UUID.fromString(licenseId), DemoSeed.PRODUCT_CODE, fingerprint,
                Instant.now(), null).toJson();
        ApiClient.Answer a = issuer.post("/v1/licenses/" + licenseId + "/checkouts",
                Map.of("request", request, "durationDays", 7), null);
        assertEquals(201, a.status(), a.raw());
        return a.body().path("file").asText();
    }

    private static List<SentEmail> emailsFor(String licenseId) {
        return system.backends().sentEmails().to(DemoSeed.FINANCE_CONTACT).stream()
                .filter(e -> (e.text() != null && e.text().contains(licenseId))
                        || (e.html() != null && e.html().contains(licenseId)))
                .toList();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
