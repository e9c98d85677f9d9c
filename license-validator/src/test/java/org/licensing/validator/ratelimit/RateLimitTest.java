package org.licensing.validator.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.core.key.LicenseKey;
import org.licensing.store.LicenseStore;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Time is frozen in tests, so buckets refill only when the test advances the clock. */
@ServiceTest
class RateLimitTest {

    /** This class's own clock (TestTime): a fixed start, the same whatever the day or the order of the tests. */
    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-06-01T12:00:00Z");
    }

    @Inject
    LicenseStore store;

    @ConfigProperty(name = "licensing.validator.rate-limit.per-key-burst")
    int perKeyBurst;

    @ConfigProperty(name = "licensing.validator.rate-limit.per-key-per-second")
    double perKeyPerSecond;

    @ConfigProperty(name = "licensing.validator.rate-limit.failed-burst")
    int failedBurst;

    static ValidatableResponse validate(String key, String forwardedFor) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", forwardedFor)
                .body(Map.of("key", key, "productCode", TestLicenses.PRODUCT, "nonce", UUID.randomUUID().toString()))
                .post("/v1/validate").then();
    }

    @Test
    void perKeyLimitAnswers429WithRetryAfterThenRecovers() {
        Issued l = TestLicenses.issue(store);
        String client = "198.51.100.7";
        for (int i = 0; i < perKeyBurst; i++) {
            validate(l.keyText(), client).statusCode(200);
        }
        String retryAfter = validate(l.keyText(), client).statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/rate-limited"))
                .extract().header("Retry-After");
        assertEquals(1, Integer.parseInt(retryAfter));
        TestTime.advance(Duration.ofSeconds(Long.parseLong(retryAfter)));
        validate(l.keyText(), client).statusCode(200);
    }

    /**
     * The lockout of issue 26: the id is no secret, so a stream of keys with the right id and wrong secrets, more than
     * the license's whole burst, must leave the rightful key VALID every time. The wrong secrets get NOT_FOUND until
     * their own (license id, client) bucket is empty, then 429; another client's guesses have a bucket of their own.
     */
    @Test
    void wrongSecretsNeverLockTheRightfulKeyOut() {
        Issued l = TestLicenses.issue(store);
        UUID id = UUID.fromString(l.id());
        String attacker = "203.0.113.66";
        int notFound = 0;
        int limited = 0;
        for (int i = 0; i < perKeyBurst + 20; i++) {
            int status = validate(LicenseKey.generate(id).text(), attacker).extract().statusCode();
            if (status == 200) {
                notFound++;
            } else {
                assertEquals(429, status);
                limited++;
            }
            if (i % 10 == 0) {
                validate(l.keyText(), "198.51.100.20").statusCode(200).body("code", equalTo("VALID"));
            }
        }
        assertEquals(failedBurst, notFound);
        assertEquals(perKeyBurst + 20 - failedBurst, limited);
        validate(l.keyText(), attacker).statusCode(200).body("code", equalTo("VALID")); // even from the same address
        validate(LicenseKey.generate(id).text(), "203.0.113.67").statusCode(200).body("code", equalTo("NOT_FOUND"));
        validate(LicenseKey.generate(id).text(), attacker).statusCode(429)
                .body("type", equalTo("https://licensing.dev/problems/rate-limited")).header("Retry-After", "1");
        TestTime.advance(Duration.ofSeconds(1));
        validate(LicenseKey.generate(id).text(), attacker).statusCode(200).body("code", equalTo("NOT_FOUND"));
    }

    /** The same for activations: wrong secrets on the activation endpoints do not stop the rightful machine. */
    @Test
    void wrongSecretsNeverLockTheRightfulKeyOutOfActivation() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 2;
            return t;
        });
        UUID id = UUID.fromString(l.id());
        for (int i = 0; i < perKeyBurst + 5; i++) {
            int status = activate(LicenseKey.generate(id).text(), "203.0.113.70", "x").extract().statusCode();
            assertEquals(i < failedBurst ? 404 : 429, status);
        }
        activate(l.keyText(), "198.51.100.21", "host-1").statusCode(201);
        validate(l.keyText(), "198.51.100.21", "host-1").statusCode(200).body("code", equalTo("VALID"));
    }

    /** An unknown id counts like a wrong secret (the two are indistinguishable): its own bucket per client. */
    @Test
    void unknownIdsAreBoundedPerClient() {
        UUID id = UUID.randomUUID();
        for (int i = 0; i < failedBurst; i++) {
            validate(LicenseKey.generate(id).text(), "198.51.100.250").statusCode(200).body("code", equalTo("NOT_FOUND"));
        }
        validate(LicenseKey.generate(id).text(), "198.51.100.250").statusCode(429);
    }

    static ValidatableResponse validate(String key, String forwardedFor, String fingerprint) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", forwardedFor)
                .body(Map.of("key", key, "productCode", TestLicenses.PRODUCT, "nonce", UUID.randomUUID().toString(),
                        "fingerprint", fingerprint))
                .post("/v1/validate").then();
    }

    static ValidatableResponse activate(String key, String forwardedFor, String fingerprint) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", forwardedFor)
                .body(Map.of("key", key, "fingerprint", fingerprint)).post("/v1/activations").then();
    }

    @Test
    void forwardedForIsTrustedOnlyFromConfiguredProxies() {
        ClientAddress trusting = new ClientAddress(java.util.List.of("127.0.0.1", "10.0.0.0/8"), "X-Forwarded-For");
        assertEquals("203.0.113.9", trusting.resolve("127.0.0.1", "203.0.113.9, 10.1.2.3"));
        assertEquals("198.51.100.1", trusting.resolve("198.51.100.1", "203.0.113.9"));
        assertEquals("127.0.0.1", trusting.resolve("127.0.0.1", null));
        assertEquals("127.0.0.1", trusting.resolve("127.0.0.1", "not-an-address.example"));
        ClientAddress trustingNobody = new ClientAddress(java.util.List.of(), "X-Forwarded-For");
        assertEquals("127.0.0.1", trustingNobody.resolve("127.0.0.1", "203.0.113.9"));
    }

    @Test
    void perClientLimit() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(true, 1000, 1000, 2, 3, 1, 10, () -> now[0]);
        for (int i = 0; i < 3; i++) {
            limiter.checkClient("203.0.113.1");
        }
        RateLimitedException e = org.junit.jupiter.api.Assertions.assertThrows(RateLimitedException.class,
                () -> limiter.checkClient("203.0.113.1"));
        assertEquals(1, e.retryAfterSeconds());
        limiter.checkClient("203.0.113.2");
        now[0] += 500_000_000L;
        limiter.checkClient("203.0.113.1");
    }
}
