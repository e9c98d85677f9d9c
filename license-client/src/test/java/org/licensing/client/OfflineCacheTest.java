package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensing.client.Fixture.dec;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;

class OfflineCacheTest {

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

    private Path receiptFile() {
        return f.cacheDir.resolve(CacheStore.RECEIPT);
    }

    /** One VALID answer online, so the cache holds a receipt. */
    private void primeCache() {
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
        }
        assertTrue(Files.exists(receiptFile()));
    }

    private void assertCachedValid(LicenseAnswer a) {
        assertEquals(LicenseCode.VALID, a.code(), a.detail());
        assertEquals(LicenseAnswer.Source.CACHE, a.source());
        assertEquals(f.licenseId(), a.licenseId());
        assertEquals(new java.math.BigDecimal("2.5"), a.entitlements().limit("cuda.shares").orElseThrow());
    }

    @Test
    void http5xxFallsBackToTheCachedLease() {
        primeCache();
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{\"status\":503,\"detail\":\"store unavailable\"}");
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertCachedValid(a);
            assertTrue(a.detail().contains("HTTP 503"), a.detail());
        }
        f.validator.handler = req -> FakeValidator.Reply.json(500, "oops");
        try (LicenseClient client = f.client()) {
            assertCachedValid(client.validate());
        }
    }

    @Test
    void rateLimitAndGarbageAnswersFallBackToo() {
        primeCache();
        f.validator.handler = req -> new FakeValidator.Reply(429, "{}", Map.of("Retry-After", "3"));
        try (LicenseClient client = f.client()) {
            assertCachedValid(client.validate());
        }
        f.validator.handler = req -> FakeValidator.Reply.json(200, "<html>captive portal</html>");
        try (LicenseClient client = f.client()) {
            assertCachedValid(client.validate());
        }
        f.validator.handler = req -> FakeValidator.Reply.json(200, "{\"code\":\"VALID\"}");
        try (LicenseClient client = f.client()) {
            assertCachedValid(client.validate());
        }
    }

    @Test
    void connectionRefusedFallsBack() throws Exception {
        primeCache();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LicenseClient client = f.builder().validatorUrl(URI.create("http://127.0.0.1:" + port)).build()) {
            LicenseAnswer a = client.validate();
            assertCachedValid(a);
            assertTrue(a.detail().contains("could not be reached"), a.detail());
        }
    }

    @Test
    void timeoutFallsBack() {
        primeCache();
        f.validator.handler = req -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeValidator.Reply.json(503, "{}");
        };
        long start = System.nanoTime();
        try (LicenseClient client = f.builder().connectTimeout(Duration.ofMillis(200))
                .requestTimeout(Duration.ofMillis(300)).build()) {
            assertCachedValid(client.validate());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500, "the deadline bounds the wait");
    }

    @Test
    void afterTheLeaseTheLicenseCannotBeConfirmed() {
        primeCache();
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = f.client()) {
            f.clock.advance(FakeValidator.LEASE.minusSeconds(1));
            assertCachedValid(client.validate());
            f.clock.advance(Duration.ofSeconds(1));
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.OFFLINE_EXPIRED, a.code(), a.detail());
            assertFalse(a.usable());
            assertNull(a.leaseUntil());
            assertEquals(LicenseCode.OFFLINE_EXPIRED, client.check().code());
        }
    }

    @Test
    void withoutACacheTheLicenseIsUnconfirmed() {
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.UNCONFIRMED, a.code());
            assertEquals(LicenseAnswer.Source.NONE, a.source());
            assertEquals(LicenseCode.UNCONFIRMED, client.check().code());
        }
    }

    @Test
    void theCacheSurvivesARestart() {
        primeCache();
        try (LicenseClient client = f.client()) {
            assertCachedValid(client.check());
        }
        assertTrue(f.validator.requests("/v1/validate").size() == 1, "check() makes no request");
    }

    @Test
    void withoutACacheDirectoryItIsMemoryOnly() {
        try (LicenseClient client = f.builder().cacheDirectory(null).build()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            assertEquals(LicenseAnswer.Source.CACHE, client.check().source());
        }
        try (LicenseClient client = f.builder().cacheDirectory(null).build()) {
            assertEquals(LicenseCode.UNCONFIRMED, client.check().code());
        }
        assertFalse(Files.exists(f.cacheDir));
    }

    @Test
    void aLaterRefusalReplacesTheLease() {
        primeCache();
        f.validator.onValidate = s -> {
            s.code = "REVOKED";
            s.leaseUntil = s.iat;
        };
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.REVOKED, client.validate().code());
        }
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = f.client()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.REVOKED, a.code(), "blocking the network does not bring the old lease back");
            assertEquals(LicenseAnswer.Source.CACHE, a.source());
        }
    }

    @Test
    void theLatestAnswerWinsEvenFromAValidatorWhoseClockIsBehind() {
        primeCache();
        f.validator.onValidate = s -> {
            s.code = "REVOKED";
            s.iat = s.iat.minusSeconds(2); // another validator instance, its clock 2 s behind
            s.leaseUntil = s.iat;
        };
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.REVOKED, client.validate().code());
            f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
            assertEquals(LicenseCode.REVOKED, client.validate().code());
        }
    }

    @Test
    void tamperedCacheIsRefused() throws Exception {
        primeCache();
        String jws = Files.readString(receiptFile());
        String[] p = jws.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8);
        String longer = payload.replaceFirst("\"lease_until\":(\\d+)", "\"lease_until\":9999999999");
        Files.writeString(receiptFile(), p[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(longer.getBytes(StandardCharsets.UTF_8)) + "." + p[2]);
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
    }

    @Test
    void truncatedCacheIsRefused() throws Exception {
        primeCache();
        String jws = Files.readString(receiptFile());
        Files.writeString(receiptFile(), jws.substring(0, jws.length() / 2));
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
        Files.writeString(receiptFile(), jws.substring(0, jws.length() - 3));
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
    }

    @Test
    void corruptedOrEmptyCacheIsRefused() throws Exception {
        primeCache();
        Files.write(receiptFile(), new byte[] {0, (byte) 0xff, 0x13, '.', '.', 'x'});
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
        Files.writeString(receiptFile(), "");
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
        Files.write(receiptFile(), new byte[CacheStore.MAX_FILE + 10]);
        assertCacheRefused(LicenseCode.UNCONFIRMED);
    }

    @Test
    void aReceiptForgedWithAnotherKeyIsRefused() throws Exception {
        primeCache();
        FakeValidator.Spec s = new FakeValidator.Spec();
        s.nonce = "x";
        s.product = FakeValidator.PRODUCT;
        s.fingerprint = Fixture.FINGERPRINT;
        s.licenseId = f.licenseId();
        s.iat = f.clock.instant();
        s.leaseUntil = s.iat.plus(Duration.ofDays(3650));
        s.signer = SigningKeys.generate("receipts-1");
        Files.writeString(receiptFile(), FakeValidator.sign(s));
        assertCacheRefused(LicenseCode.INVALID_RECEIPT);
    }

    @Test
    void aCacheCopiedFromAnotherMachineOrLicenseIsRefused() {
        primeCache();
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = f.builder().fingerprint(FingerprintStrategy.supplied("host-other")).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.INVALID_RECEIPT, a.code());
            assertTrue(a.detail().contains("another machine"), a.detail());
        }
        try (LicenseClient client = f.builder().licenseKey(
                org.licensing.core.key.LicenseKey.generate(UUID.randomUUID()).text()).build()) {
            LicenseAnswer a = client.check();
            assertEquals(LicenseCode.INVALID_RECEIPT, a.code());
            assertTrue(a.detail().contains("another license"), a.detail());
        }
        try (LicenseClient client = f.builder().productCode("other-product").build()) {
            assertEquals(LicenseCode.INVALID_RECEIPT, client.check().code());
        }
    }

    @Test
    void anUnreadableCacheFileIsUnconfirmed() throws Exception {
        primeCache();
        Files.delete(receiptFile());
        Files.createDirectory(receiptFile()); // reading it fails, even as root
        assertCacheRefused(LicenseCode.UNCONFIRMED);
    }

    @Test
    void anUnusableCacheDirectoryIsAClearException() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        LicenseClientException e = assertThrows(LicenseClientException.class,
                () -> f.builder().cacheDirectory(file).build());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertThrows(LicenseClientException.class, () -> f.builder().cacheDirectory(file.resolve("sub")).build());
    }

    @Test
    void cacheFilesArePrivate() throws Exception {
        // Not a silent skip: the 0600/0700 modes are a promise of the README.
        assertTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "the cache modes need a"
                + " POSIX file system: run the tests on Linux or macOS (a Windows build has no mode bits to check)");
        primeCache();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.cacheDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(receiptFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.cacheDir.resolve(CacheStore.CLOCK))));
        try (var files = Files.list(f.cacheDir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test
    void offlineCheckComparesUsageExactly() {
        primeCache();
        try (LicenseClient client = f.client()) {
            assertEquals(LicenseCode.VALID, client.check(Map.of("cuda.shares", dec("2.5"))).code());
            assertEquals(LicenseCode.VALID, client.check(Map.of("cuda.shares", dec("2.50000"))).code());
            assertEquals(LicenseCode.VALID, client.check(Map.of("nodes", dec("1000"))).code(), "no limit: ignored");
            // Usage follows the validator's rules (at most 6 decimal places, up to 10^18), so the exactness is shown
            // where a double has no digits left: 999999999999.000001 and .000002 are one double.
            assertEquals(LicenseCode.VALID, client.check(Map.of("fine", dec("999999999999.000001"))).code());
            LicenseAnswer over = client.check(Map.of("fine", dec("999999999999.000002")));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, over.code(), "a double could not tell these apart");
            assertEquals("fine", over.limit());
            assertThrows(LicenseClientException.class, () -> client.check(Map.of("precise",
                    dec("0.1000000000000000055511151231257828"))), "more decimal places than the validator takes");

            LicenseAnswer a = client.check(Map.of("cuda.shares", dec("2.51"), "cuda.device", dec("8")));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, a.code());
            assertEquals("cuda.shares", a.limit());
            assertFalse(a.usable());
            assertTrue(a.detail().contains("2.51") && a.detail().contains("2.5"), a.detail());

            assertEquals("mem", client.check(Map.of("mem", dec("137438953473"))).limit());
            assertEquals(LicenseCode.VALID, client.check(Map.of("mem", dec("137438953472"))).code());
        }
    }

    private void assertCacheRefused(LicenseCode expected) {
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
        try (LicenseClient client = f.client()) {
            LicenseAnswer online = client.validate();
            assertEquals(expected, online.code(), online.detail());
            assertFalse(online.usable());
            LicenseAnswer offline = client.check();
            assertEquals(expected, offline.code(), offline.detail());
        } finally {
            f.validator.handler = null;
        }
    }
}
