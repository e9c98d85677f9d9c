package org.licensing.validator.license;

import static io.restassured.RestAssured.given;
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
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;

import io.restassured.http.ContentType;

/**
 * The cache bound, on a driven clock: a revoked or suspended license is refused once the cache TTL has passed
 * (never later), and a just-issued license becomes valid within the negative TTL.
 */
@ServiceTest
class RevocationBoundTest {

    /** This class's own clock (TestTime): a fixed start, the same whatever the day or the order of the tests. */
    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-05-05T08:00:00Z");
    }

    @Inject
    LicenseStore store;

    @ConfigProperty(name = "licensing.validator.cache.ttl")
    Duration ttl;

    @ConfigProperty(name = "licensing.validator.cache.negative-ttl")
    Duration negativeTtl;

    static String code(String key) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("key", key, "productCode", TestLicenses.PRODUCT, "nonce", UUID.randomUUID().toString()))
                .post("/v1/validate").then().statusCode(200).extract().path("code");
    }

    @Test
    void revokedIsRefusedOnceTheTtlHasPassed() {
        Issued l = TestLicenses.issue(store);
        assertEquals("VALID", code(l.keyText()));
        TestLicenses.setStatus(store, l.id(), LicenseStatus.REVOKED);
        // Right after the change the cached record may still answer (the stated staleness, no DynamoDB read)...
        assertEquals("VALID", code(l.keyText()));
        // ...and once the TTL has passed it is refused, whatever happened in between.
        TestTime.advance(ttl);
        assertEquals("REVOKED", code(l.keyText()));
    }

    @Test
    void suspendedIsRefusedWithinTheBoundAndReinstatedLikewise() {
        Issued l = TestLicenses.issue(store);
        assertEquals("VALID", code(l.keyText()));
        TestLicenses.setStatus(store, l.id(), LicenseStatus.SUSPENDED);
        TestTime.advance(ttl);
        assertEquals("SUSPENDED", code(l.keyText()));
        TestLicenses.setStatus(store, l.id(), LicenseStatus.ACTIVE);
        TestTime.advance(ttl);
        assertEquals("VALID", code(l.keyText()));
    }

    @Test
    void unknownIdsAreRememberedBrieflyAndANewLicenseBecomesValidWithinTheNegativeTtl() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        assertEquals("NOT_FOUND", code(key.text()));
        Issued l = TestLicenses.issueWithKey(store, key);
        assertEquals("NOT_FOUND", code(key.text()), "negative answer cached");
        TestTime.advance(negativeTtl);
        assertEquals("VALID", code(l.keyText()));
    }
}
