package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;

/**
 * Pinning and rotation: receipts verify only with pinned keys, or with keys of a key set that a pinned key signed
 * ({@code GET /.well-known/jwks.jws}, {@code typ jwk-set+jwt}).
 */
class KeyTrustTest {

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock();
    /** The vendor's root key: pinned in the product, kept offline, signs key sets only. */
    final SigningKeys root = SigningKeys.generate("root-1");
    /** The validator's new receipt key, unknown to the product's pins. */
    final SigningKeys online = SigningKeys.generate("receipts-2");
    FakeValidator validator;
    final org.licensing.core.key.LicenseKey key = org.licensing.core.key.LicenseKey.generate(java.util.UUID.randomUUID());
    volatile String keySetAnswer;

    @BeforeEach
    void setUp() throws Exception {
        validator = new FakeValidator(clock, online);
        validator.handler = req -> {
            if (req.path().equals(LicenseClient.KEY_SET_PATH)) {
                return keySetAnswer == null ? FakeValidator.Reply.json(404, "{}")
                        : new FakeValidator.Reply(200, keySetAnswer, Map.of("Content-Type", "application/jwt"));
            }
            return validator.validate(req);
        };
    }

    @AfterEach
    void tearDown() {
        validator.close();
    }

    LicenseClient.Builder builder() {
        return LicenseClient.builder().validatorUrl(validator.url()).productCode(FakeValidator.PRODUCT)
                .licenseKey(key.text()).pinnedKeys(root.publicJwkSetJson()).cacheDirectory(tmp.resolve("cache"))
                .fingerprint(FingerprintStrategy.supplied("host-1")).clock(clock);
    }

    String keySet(SigningKeys signer, SigningKeys published, Instant iat, Instant exp) {
        Object keys = published.publicJwkSet().toJSONObject(true).get("keys");
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issueTime(Date.from(iat)).claim("keys", keys);
        if (exp != null) {
            claims.expirationTime(Date.from(exp));
        }
        return signer.sign(claims.build(), Trust.KEY_SET_TYP);
    }

    @Test
    void aKeySetSignedByAPinnedKeyAddsTheNewReceiptKey() throws Exception {
        keySetAnswer = keySet(root, online, clock.instant(), null);
        try (LicenseClient client = builder().build()) {
            assertEquals(Set.of("root-1"), client.trustedKids());
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertEquals(List.of("root-1", "receipts-2"), List.copyOf(client.trustedKids()));
        }
        assertTrue(Files.exists(tmp.resolve("cache").resolve(CacheStore.KEY_SET)));
        int fetches = validator.requests(LicenseClient.KEY_SET_PATH).size();
        keySetAnswer = null;
        validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = builder().build()) {
            assertTrue(client.trustedKids().contains("receipts-2"), "the accepted set is kept with the cache");
            assertEquals(LicenseCode.VALID, client.check().code());
        }
        assertEquals(fetches, validator.requests(LicenseClient.KEY_SET_PATH).size());
    }

    @Test
    void aKeySetNotSignedByAPinnedKeyIsIgnored() {
        keySetAnswer = keySet(online, online, clock.instant(), null); // self-signed
        assertRefused();
        keySetAnswer = online.publicJwkSetJson(); // the plain JWK Set: never trusted
        assertRefused();
        keySetAnswer = keySet(root, online, clock.instant(), clock.instant().minusSeconds(1)); // expired
        assertRefused();
        keySetAnswer = keySet(root, online, clock.instant(), null).replace('.', ','); // garbage
        assertRefused();
    }

    @Test
    void aKeySetCannotReplaceAPinnedKey() {
        SigningKeys impostor = SigningKeys.generate("root-1");
        keySetAnswer = keySet(root, impostor, clock.instant(), null);
        validator.onValidate = s -> s.signer = impostor;
        try (LicenseClient client = builder().build()) {
            assertEquals(LicenseCode.INVALID_RECEIPT, client.validate().code());
            client.refreshKeys();
            assertEquals(LicenseCode.INVALID_RECEIPT, client.validate().code());
        }
    }

    @Test
    void aKeySetIsTrustedOnlyUntilItsExp() {
        keySetAnswer = keySet(root, online, clock.instant(), clock.instant().plus(Duration.ofHours(1)));
        try (LicenseClient client = builder().build()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            clock.advance(Duration.ofHours(2));
            assertEquals(Set.of("root-1"), client.trustedKids());
            assertEquals(LicenseCode.INVALID_RECEIPT, client.validate().code());
            assertEquals(LicenseCode.INVALID_RECEIPT, client.check().code(), "the cached receipt too");
        }
    }

    @Test
    void anOlderKeySetDoesNotReplaceANewerOne() {
        SigningKeys third = SigningKeys.generate("receipts-3");
        try (LicenseClient client = builder().build()) {
            keySetAnswer = keySet(root, third, clock.instant(), null);
            assertTrue(client.refreshKeys().contains("receipts-3"));
            keySetAnswer = keySet(root, online, clock.instant().minus(Duration.ofDays(1)), null);
            Set<String> kids = client.refreshKeys();
            assertTrue(kids.contains("receipts-3") && !kids.contains("receipts-2"), kids.toString());
        }
    }

    @Test
    void aTamperedCachedKeySetIsIgnored() throws Exception {
        keySetAnswer = keySet(root, online, clock.instant(), null);
        try (LicenseClient client = builder().build()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
        }
        Path cached = tmp.resolve("cache").resolve(CacheStore.KEY_SET);
        String jws = Files.readString(cached);
        Files.writeString(cached, jws.substring(0, jws.length() - 4) + "AAAA");
        validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = builder().build()) {
            assertEquals(Set.of("root-1"), client.trustedKids());
            assertEquals(LicenseCode.INVALID_RECEIPT, client.check().code());
        }
    }

    @Test
    void pinnedKeysMustBePublicEd25519Keys() throws Exception {
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys(root.privateJwkSetJson()).build(),
                "a private key must never be shipped in a product");
        String ec = "{\"keys\":[" + new ECKeyGenerator(Curve.P_256).keyID("ec").generate().toPublicJWK().toJSONString() + "]}";
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys(ec).build());
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys("{\"keys\":[]}").build());
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys("not json").build());
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys("").build());
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeys(null).build());
        assertThrows(LicenseClientException.class, () -> builder().pinnedKeysResource(KeyTrustTest.class, "/absent.json"));
        try (LicenseClient client = builder().pinnedKeysResource(KeyTrustTest.class, "/pinned-rfc8037.json").build()) {
            assertEquals(Set.of("rfc8037-a.1"), client.trustedKids());
        }
    }

    @Test
    void aLicenseFileSignedByAKeyFromASignedKeySetIsRefused() throws Exception {
        // Keys a set brings are for receipts: a validator's online key must not be able to mint license files.
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.writeString(cache.resolve(CacheStore.KEY_SET), keySet(root, online, clock.instant(), null));
        LicenseDocument doc = new LicenseDocument(key.licenseId().toString(), "cust-1", null, FakeValidator.PRODUCT,
                Map.of(), Map.of(), 0, clock.instant(), clock.instant(), clock.instant().plus(Duration.ofDays(30)), 0);
        CheckoutDocument checkout = new CheckoutDocument(UUID.randomUUID(), doc, "host-1", 1, clock.instant(),
                doc.expiresAt(), null);
        String file = CheckoutFiles.encrypt(CheckoutFiles.sign(checkout, "https://issuer.licensing.test", online),
                key.licenseId(), key.secretHash(), "host-1");
        try (LicenseClient client = LicenseClient.builder().productCode(FakeValidator.PRODUCT).licenseKey(key.text())
                .pinnedKeys(root.publicJwkSetJson()).cacheDirectory(cache).licenseFileText(file).clock(clock)
                .fingerprint(FingerprintStrategy.supplied("host-1")).build()) {
            assertTrue(client.trustedKids().contains("receipts-2"), "the cached set was accepted (for receipts)");
            LicenseAnswer a = client.check();
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code(), a.detail());
            assertTrue(a.detail().contains("UNKNOWN_KEY"), a.detail());
        }
        String pinnedSigned = CheckoutFiles.encrypt(CheckoutFiles.sign(checkout, "https://issuer.licensing.test", root),
                key.licenseId(), key.secretHash(), "host-1");
        try (LicenseClient client = LicenseClient.builder().productCode(FakeValidator.PRODUCT).licenseKey(key.text())
                .pinnedKeys(root.publicJwkSetJson()).cacheDirectory(cache).licenseFileText(pinnedSigned).clock(clock)
                .fingerprint(FingerprintStrategy.supplied("host-1")).build()) {
            assertEquals(LicenseCode.VALID, client.check().code(), "the same file signed by the pinned key");
        }
    }

    @Test
    void duplicatePinnedKidsAreRefused() {
        // Two keys under one kid: which one verifies would depend on the order, so the set is refused outright.
        String first = root.publicJwkSetJson();
        String second = SigningKeys.generate("root-1").publicJwkSetJson();
        String both = first.substring(0, first.lastIndexOf(']')) + "," + second.substring(second.indexOf('[') + 1);
        LicenseClientException e = assertThrows(LicenseClientException.class, () -> builder().pinnedKeys(both).build());
        assertTrue(e.getMessage().contains("root-1"), e.getMessage());
    }

    private void assertRefused() {
        try (LicenseClient client = builder().cacheDirectory(tmp.resolve("c-" + System.nanoTime())).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.INVALID_RECEIPT, a.code(), a.detail());
            assertTrue(a.detail().contains("UNKNOWN_KEY"), a.detail());
            assertFalse(client.trustedKids().contains("receipts-2"));
        }
    }
}
