package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.testsupport.SentEmail;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The product story over HTTP only, against the three packaged services started as real processes on the
 * local back ends: issue, validate (signed receipt), activate up to the limit, revoke, reminders, renew, and a
 * validator crash under load.
 */
class SystemStoryIT {

    /** The validator's default cache TTL is 5 s; the refusal must arrive within it plus this margin. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private static LocalSystem system;
    private static ApiClient issuer;
    private static ApiClient validator;
    private static ApiClient notification;

    @BeforeAll
    static void startSystem() {
        system = LocalSystem.start(LocalSystem.Ports.free(), Map.of());
        issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
        validator = new ApiClient(system.validator().url(), null);
        notification = ApiClient.bearer(system.notification().url(), system.operatorToken());
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void issueValidateActivateRevoke() throws Exception {
        DemoSeed.Seeded license = new DemoSeed(system).seed(Instant.now().plus(90, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));

        // Validate: VALID, and the receipt verifies with the validator's published JWK Set.
        String nonce = "nonce-" + UUID.randomUUID();
        JsonNode answer = validate(license.licenseKey(), nonce, null);
        assertEquals("VALID", answer.path("code").asText(), answer.toString());
        JWKSet jwks = JWKSet.parse(validator.get("/.well-known/jwks.json").raw());
        JWTClaimsSet receipt = JwsVerifier.verify(answer.path("receipt").asText(), jwks, "validation-receipt+jwt")
                .claims();
        assertEquals(nonce, receipt.getStringClaim("nonce"));
        assertEquals("VALID", receipt.getStringClaim("code"));
        assertEquals(license.licenseId(), receipt.getStringClaim("license_id"));

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
        assertEquals("VALID", validate(license.licenseKey(), "n2", "machine-2").path("code").asText());

        // Revoke in the issuer; the validator refuses within its cache bound.
        JsonNode revoked = issuer.postOk("/v1/licenses/" + license.licenseId() + "/revoke",
                Map.of("reason", "customer asked to end the contract"));
        assertEquals("REVOKED", revoked.path("status").asText());
        Instant revokedAt = Instant.now();
        String code = awaitCode(() -> validate(license.licenseKey(), "n3", null).path("code").asText(),
                "REVOKED", REVOCATION_BOUND.plus(MARGIN));
        System.out.printf("validator refused the revoked license %d ms after the revocation (bound %d s)%n",
                Duration.between(revokedAt, Instant.now()).toMillis(), REVOCATION_BOUND.toSeconds());
        assertEquals("REVOKED", code);
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

        List<SentEmail> emails = awaitEmails(license.licenseId(), 1, Duration.ofSeconds(60));
        SentEmail email = emails.get(0);
        assertTrue(email.allRecipients().contains(DemoSeed.FINANCE_CONTACT), email.toString());
        assertTrue(email.allRecipients().contains(LocalSystem.VENDOR_FINANCE_EMAIL), email.toString());
        assertTrue(email.text().contains("Acme GPU Cloud"), email.text());
        assertTrue(email.text().contains("7"), email.text());
        assertNotNull(email.html());

        // Renew: the license leaves that expiry day, so rerunning the day sends nothing more for it.
        JsonNode renewed = issuer.postOk("/v1/licenses/" + license.licenseId() + "/renew", Map.of("extendDays", 365));
        assertEquals(expiresAt.plus(365, ChronoUnit.DAYS), Instant.parse(renewed.path("expiresAt").asText()));
        ApiClient.ok(notification.post("/v1/reminders/runs", Map.of("date", runDate.toString())), "run after renewal");
        sleep(Duration.ofSeconds(5));
        assertEquals(1, emailsFor(license.licenseId()).size(), "no second reminder after the renewal");
    }

    @Test
    void validatorKilledUnderLoadNeverAnswersWrongAndServesAgain() throws Exception {
        DemoSeed.Seeded license = new DemoSeed(system).seed(Instant.now().plus(30, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                ApiClient client = new ApiClient(system.validator().url(), null);
                while (running.get()) {
                    try {
                        ApiClient.Answer a = client.post("/v1/validate", Map.of("key", license.licenseKey(),
                                "productCode", DemoSeed.PRODUCT_CODE, "nonce", "load"), null);
                        answered.incrementAndGet();
                        boolean valid = a.status() == 200 && "VALID".equals(a.body().path("code").asText());
                        boolean honestUnavailable = a.status() == 503 || a.status() == 429;
                        if (!valid && !honestUnavailable) {
                            wrong.add(a.status() + " " + a.raw());
                        }
                    } catch (RuntimeException connectionLost) {
                        refused.incrementAndGet();
                        sleep(Duration.ofMillis(20));
                    }
                }
            }, "validator-load-" + t);
            thread.start();
            load.add(thread);
        }
        sleep(Duration.ofSeconds(2));
        int beforeKill = answered.get();
        system.validator().kill();
        sleep(Duration.ofSeconds(1));
        system.validator().start(Duration.ofSeconds(90));
        int atRestart = answered.get();
        sleep(Duration.ofSeconds(2));
        running.set(false);
        for (Thread thread : load) {
            thread.join(10_000);
        }
        System.out.printf("validator crash: %d answers before the kill, %d after the restart, %d requests refused "
                + "while it was down%n", beforeKill, answered.get() - atRestart, refused.get());
        assertTrue(wrong.isEmpty(), "wrong answers: " + wrong);
        assertTrue(beforeKill > 0, "load ran before the kill");
        assertTrue(answered.get() > atRestart, "served again after the restart");
        // The load may have used up the key's rate limit: wait for it to open, then expect VALID.
        assertEquals("VALID", awaitCode(() -> validateAllowingRateLimit(license.licenseKey()), "VALID",
                Duration.ofSeconds(30)));
    }

    private static String validateAllowingRateLimit(String key) {
        ApiClient.Answer a = validator.post("/v1/validate", Map.of("key", key, "productCode", DemoSeed.PRODUCT_CODE,
                "nonce", "after"), null);
        return a.status() == 429 ? "RATE_LIMITED" : a.body().path("code").asText();
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

    private static String awaitCode(Supplier<String> probe, String wanted, Duration within) {
        Instant deadline = Instant.now().plus(within);
        String last;
        do {
            last = probe.get();
            if (wanted.equals(last)) {
                return last;
            }
            sleep(Duration.ofMillis(200));
        } while (Instant.now().isBefore(deadline));
        fail("still " + last + " after " + within + ", wanted " + wanted);
        return last;
    }

    private static List<SentEmail> emailsFor(String licenseId) {
        return system.backends().sentEmails().to(DemoSeed.FINANCE_CONTACT).stream()
                .filter(e -> (e.text() != null && e.text().contains(licenseId))
                        || (e.html() != null && e.html().contains(licenseId)))
                .toList();
    }

    private static List<SentEmail> awaitEmails(String licenseId, int count, Duration within) {
        Instant deadline = Instant.now().plus(within);
        List<SentEmail> emails = emailsFor(licenseId);
        while (emails.size() < count && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(250));
            emails = emailsFor(licenseId);
        }
        assertEquals(count, emails.size(), "emails for " + licenseId);
        assertFalse(emails.isEmpty());
        return emails;
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
