package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensing.client.Fixture.dec;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.json.Json;

class OnlineValidationTest {

    @TempDir
    Path tmp;
    Fixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void validAnswerCarriesSignedExactEntitlementsAndLease() throws Exception {
        try (LicenseClient client = f.client()) {
            Map<String, BigDecimal> usage = new LinkedHashMap<>();
            usage.put("cuda.shares", dec("2.5"));
            usage.put("cuda.device", dec("8.000"));
            LicenseAnswer a = client.validate(usage);

            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertTrue(a.usable());
            assertEquals(LicenseAnswer.Source.NETWORK, a.source());
            assertEquals(f.licenseId(), a.licenseId());
            assertEquals(f.clock.instant(), a.issuedAt());
            assertEquals(f.clock.instant().plus(FakeValidator.LEASE), a.leaseUntil());
            assertEquals(new BigDecimal("2.5"), a.entitlements().limit("cuda.shares").orElseThrow());
            assertEquals(0, dec("8").compareTo(a.entitlements().limit("cuda.device").orElseThrow()));
            assertEquals(new BigDecimal("137438953472"), a.entitlements().limit("mem").orElseThrow());
            // Not representable as a double: proves no double on the way.
            assertEquals(new BigDecimal("0.1000000000000000055511151231257827"),
                    a.entitlements().limit("precise").orElseThrow());
            assertTrue(a.entitlements().feature("mig"));
            assertFalse(a.entitlements().feature("fabric-manager"));
            assertFalse(a.entitlements().feature("absent"));
            assertTrue(a.entitlements().limit("nodes").isEmpty());

            FakeValidator.Recorded req = f.validator.requests("/v1/validate").get(0);
            assertEquals("POST", req.method());
            assertTrue(req.header("Content-Type").startsWith("application/json"));
            Map<String, Object> body = Json.parseObject(req.body());
            assertEquals(f.key.text(), body.get("key"));
            assertEquals(FakeValidator.PRODUCT, body.get("productCode"));
            assertEquals(Fixture.FINGERPRINT, body.get("fingerprint"));
            assertTrue(((String) body.get("nonce")).length() >= 16);
            // Exact decimals in the request: 2.5 as 2.5 and 8.000 as the integer 8 (what today's validator accepts).
            assertTrue(req.body().contains("\"usage\":{\"cuda.device\":8,\"cuda.shares\":2.5}"), req.body());
        }
    }

    @Test
    void everyRequestHasAFreshNonce() throws Exception {
        try (LicenseClient client = f.client()) {
            client.validate();
            client.validate();
        }
        var reqs = f.validator.requests("/v1/validate");
        assertNotEquals(Json.parseObject(reqs.get(0).body()).get("nonce"), Json.parseObject(reqs.get(1).body()).get("nonce"));
    }

    @ParameterizedTest
    @CsvSource({"REVOKED,REVOKED", "SUSPENDED,SUSPENDED", "NOT_YET_VALID,NOT_YET_VALID",
        "TOO_MANY_ACTIVATIONS,TOO_MANY_ACTIVATIONS", "FINGERPRINT_MISMATCH,FINGERPRINT_MISMATCH",
        "PRODUCT_MISMATCH,PRODUCT_MISMATCH", "EXPIRED,EXPIRED", "SOMETHING_NEW,UNRECOGNIZED"})
    void refusalsComeFromTheSignedCode(String signed, LicenseCode expected) {
        f.validator.onValidate = s -> {
            s.code = signed;
            s.leaseUntil = s.iat; // every refusal: no lease
        };
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(expected, a.code(), a.detail());
            assertFalse(a.usable());
            assertNull(a.leaseUntil());
            assertEquals(LicenseAnswer.Source.NETWORK, a.source());
        }
    }

    @Test
    void notFoundReceiptNamesNoLicense() {
        f.validator.onValidate = s -> {
            s.code = "NOT_FOUND";
            s.licenseId = null;
            s.entitlements = null;
            s.leaseUntil = s.iat;
        };
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.NOT_FOUND, a.code());
            assertNull(a.licenseId());
            assertEquals(Entitlements.NONE, a.entitlements());
        }
    }

    @Test
    void expiredWithALeaseIsExpiredInGrace() {
        f.validator.onValidate = s -> {
            s.code = "EXPIRED";
            s.leaseUntil = s.iat.plusSeconds(3600);
        };
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.EXPIRED_IN_GRACE, a.code());
            assertTrue(a.usable());
            assertEquals(f.clock.instant().plusSeconds(3600), a.leaseUntil());
        }
    }

    @Test
    void limitExceededNamesTheLimitAndKeepsTheEarlierLease() {
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            f.validator.onValidate = s -> {
                s.code = "LIMIT_EXCEEDED";
                s.leaseUntil = s.iat;
                s.body.put("limit", "cuda.device");
                s.body.put("allowed", 8);
            };
            LicenseAnswer a = client.validate(Map.of("cuda.device", dec("9")));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, a.code());
            assertEquals("cuda.device", a.limit());
            // The refusal is about that usage, not the license: offline checks still use the VALID lease.
            assertEquals(LicenseCode.VALID, client.check(Map.of("cuda.device", dec("8"))).code());
        }
    }

    @Test
    void entitlementsInTheUnsignedBodyAreNeverUsed() {
        f.validator.onValidate = s -> {
            s.entitlements = null; // today's receipts: no entitlements claim
            s.body.put("entitlements", Map.of("limits", Map.of("cuda.shares", 1000)));
        };
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.VALID, a.code());
            assertEquals(Entitlements.NONE, a.entitlements());
            assertTrue(a.entitlements().limit("cuda.shares").isEmpty());
        }
    }

    @Test
    void tamperedReceiptIsRefused() {
        f.validator.onValidate = s -> s.mangle = jws -> {
            String[] p = jws.split("\\.");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(p[1]), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"2.5\"", "\"25\"").replace("2.5", "25");
            return p[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + p[2];
        };
        assertInvalidReceipt("signature");
    }

    @Test
    void flippedSignatureIsRefused() {
        f.validator.onValidate = s -> s.mangle = jws -> {
            char last = jws.charAt(jws.length() - 2);
            return jws.substring(0, jws.length() - 2) + (last == 'A' ? 'B' : 'A') + jws.charAt(jws.length() - 1);
        };
        assertInvalidReceipt("");
    }

    @Test
    void receiptForAnotherNonceIsRefused() {
        f.validator.onValidate = s -> s.nonce = "replayed-" + s.nonce;
        assertInvalidReceipt("nonce");
    }

    @Test
    void receiptForAnotherProductIsRefused() {
        f.validator.onValidate = s -> s.product = "other-product";
        assertInvalidReceipt("another product");
    }

    @Test
    void receiptForAnotherFingerprintIsRefused() {
        f.validator.onValidate = s -> s.fingerprint = "host-someone-else";
        assertInvalidReceipt("another machine");
    }

    @Test
    void receiptForAnotherLicenseIsRefused() {
        f.validator.onValidate = s -> s.licenseId = UUID.randomUUID().toString();
        assertInvalidReceipt("another license");
    }

    @Test
    void receiptSignedByAnUnknownKeyIsRefused() {
        SigningKeys attacker = SigningKeys.generate("receipts-1"); // same kid, other key
        f.validator.onValidate = s -> s.signer = attacker;
        assertInvalidReceipt("BAD_SIGNATURE");
        SigningKeys other = SigningKeys.generate("attacker");
        f.validator.onValidate = s -> s.signer = other;
        assertInvalidReceipt("UNKNOWN_KEY");
    }

    @Test
    void licenseFileTypedJwsIsNotAReceipt() {
        f.validator.onValidate = s -> s.typ = LicenseFiles.TYP;
        assertInvalidReceipt("WRONG_TYPE");
    }

    @Test
    void malformedSignedEntitlementsAreRefused() {
        f.validator.onValidate = s -> s.entitlements = Map.of("limits", Map.of("cuda.shares", "lots"));
        assertInvalidReceipt("entitlements.limits.cuda.shares");
        f.validator.onValidate = s -> s.entitlements = Map.of("limits", Map.of("cuda.shares", -1));
        assertInvalidReceipt("must not be negative");
    }

    @Test
    void aRejectedReceiptDoesNotReplaceTheCachedOne() {
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            f.validator.onValidate = s -> {
                s.code = "REVOKED";
                s.leaseUntil = s.iat;
                s.signer = SigningKeys.generate("attacker");
            };
            assertEquals(LicenseCode.INVALID_RECEIPT, client.validate().code());
            assertEquals(LicenseCode.VALID, client.check().code());
        }
    }

    @Test
    void malformedKeyIsAnsweredWithoutAnyRequest() {
        String typo = f.key.text().substring(0, f.key.text().length() - 1)
                + (f.key.text().endsWith("0") ? "1" : "0");
        try (LicenseClient client = f.builder().licenseKey(typo).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.MALFORMED_KEY, a.code());
            assertEquals(LicenseAnswer.Source.NONE, a.source());
            assertTrue(a.detail().contains("BAD_CHECKSUM"), a.detail());
            assertEquals(LicenseCode.MALFORMED_KEY, client.check().code());
        }
        assertTrue(f.validator.requests.isEmpty());
    }

    @Test
    void theSignedReceiptDecidesNeverTheBody() {
        // A proxy or a compromised validator edits the JSON around a REVOKED receipt: VALID and a 30-day lease.
        f.validator.onValidate = s -> {
            s.code = "REVOKED";
            s.leaseUntil = s.iat;
            s.body.put("code", "VALID");
            s.body.put("leaseUntil", s.iat.plus(Duration.ofDays(30)).toString());
        };
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.REVOKED, a.code(), a.detail());
            assertFalse(a.usable());
            assertNull(a.leaseUntil(), "no lease from an unsigned body");
            assertEquals(LicenseCode.REVOKED, client.check().code(), "the cache keeps the receipt, not the body");
            assertNull(client.check().leaseUntil());
        }
    }

    @Test
    void validatorMalformedKeyProblemIsTyped() {
        f.validator.handler = req -> FakeValidator.Reply.json(400, "{\"type\":\"https://licensing.dev/problems/"
                + "malformed-license-key\",\"status\":400,\"detail\":\"bad key\",\"code\":\"MALFORMED_KEY\","
                + "\"reason\":\"UNKNOWN_VERSION\"}");
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.MALFORMED_KEY, client.validate().code());
        }
    }

    @Test
    void invalidRequestIsAClearException() {
        f.validator.handler = req -> FakeValidator.Reply.json(400, "{\"type\":\"https://licensing.dev/problems/"
                + "invalid-request\",\"status\":400,\"detail\":\"usage.cuda.shares must be a non-negative integer.\"}");
        try (LicenseClient client = f.client()) {
            LicenseClientException e = assertThrows(LicenseClientException.class,
                    () -> client.validate(Map.of("cuda.shares", dec("2.5"))));
            assertTrue(e.getMessage().contains("usage.cuda.shares"), e.getMessage());
        }
    }

    @Test
    void badUsageIsMisuse() {
        try (LicenseClient client = f.client()) {
            assertThrows(LicenseClientException.class, () -> client.validate(Map.of("cpu", dec("-1"))));
            assertThrows(LicenseClientException.class, () -> client.check(Map.of("", dec("1"))));
            assertThrows(LicenseClientException.class, () -> client.check(Map.of("gpü", dec("1"))));
            Map<String, BigDecimal> many = new LinkedHashMap<>();
            for (int i = 0; i < 33; i++) {
                many.put("r" + i, BigDecimal.ONE);
            }
            assertThrows(LicenseClientException.class, () -> client.validate(many));
        }
        assertTrue(f.validator.requests.isEmpty());
    }

    private void assertInvalidReceipt(String detailPart) {
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.INVALID_RECEIPT, a.code(), a.detail());
            assertFalse(a.usable());
            assertEquals(LicenseAnswer.Source.NETWORK, a.source());
            assertTrue(a.detail().contains(detailPart), a.detail());
            // Nothing was cached from it.
            assertEquals(LicenseCode.UNCONFIRMED, client.check().code());
        }
    }
}
