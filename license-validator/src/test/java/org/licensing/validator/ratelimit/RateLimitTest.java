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

    @Test
    void perKeyLimitCountsUnknownAndWrongSecretKeysByIdToo() {
        UUID id = UUID.randomUUID();
        for (int i = 0; i < perKeyBurst; i++) {
            validate(LicenseKey.generate(id).text(), "198.51.100.250").statusCode(200);
        }
        validate(LicenseKey.generate(id).text(), "198.51.100.250").statusCode(429);
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
        RateLimiter limiter = new RateLimiter(true, 1000, 1000, 2, 3, () -> now[0]);
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
