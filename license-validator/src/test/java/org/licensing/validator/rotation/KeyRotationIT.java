package org.licensing.validator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.client.FingerprintStrategy;
import org.licensing.client.LicenseAnswer;
import org.licensing.client.LicenseClient;
import org.licensing.client.LicenseCode;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.process.PackagedService;

import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The README's rotation runbook ("Key rotation"), walked with the SDK against the packaged validator, restarted with
 * each step's configuration as an operator would roll it out. The product pins only the rotation key, never a
 * receipt key, and is never updated: it follows the rotation through {@code /.well-known/jwks.jws}.
 * <ol>
 *   <li>receipt key K1 active: the product learns K1 from the signed key set and validates;</li>
 *   <li>K2 published next to K1 (K1 still signs): the product's daily refresh trusts K2 in advance;</li>
 *   <li>K2 active: receipts signed by K2 are accepted, by that product and by a fresh install that never saw K2;</li>
 *   <li>K1 retired: the next set no longer holds it, and the product stops trusting it.</li>
 * </ol>
 */
class KeyRotationIT {

    private static final String PRODUCT = "rotation-product";
    private static final Duration START = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final SigningKeys ROTATION = SigningKeys.generate("rotation-2026");
    private static final SigningKeys K1 = SigningKeys.generate("receipt-2026-01");
    private static final SigningKeys K2 = SigningKeys.generate("receipt-2026-07");

    private static Path work;
    private static Map<String, String> backends;
    private static String key;
    private static PackagedService validator;

    @BeforeAll
    static void setUp() throws IOException {
        work = Path.of("target", "rotation-it").toAbsolutePath();
        Files.createDirectories(work);
        Files.writeString(work.resolve("rotation.pem"), ROTATION.privatePem(ROTATION.activeKid()));
        backends = PackagedService.envOf(LocalBackends.shared().start(Set.of(Backend.DYNAMODB)));
        key = seedLicense(LocalBackends.shared().dynamoDbEndpoint());
    }

    @AfterAll
    static void stop() {
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void aProductPinningOnlyTheRotationKeyFollowsARotationWithoutAnUpdate() throws Exception {
        Path cache = work.resolve("product-cache-" + UUID.randomUUID());

        // 1. K1 signs receipts; the set holds K1.
        start("1-current", K1.activeKid(), K1);
        assertEquals(K1.activeKid(), receiptKid());
        try (LicenseClient product = product(cache)) {
            assertValid(product.validate());
            assertEquals(Set.of(ROTATION.activeKid(), K1.activeKid()), product.trustedKids());
        }

        // 2. The next key is published next to the current one; K1 still signs. The product's refresh (daily, and at
        //    the first validation of each run) trusts K2 before anything is signed with it.
        start("2-next-published", K1.activeKid(), K1, K2);
        assertEquals(K1.activeKid(), receiptKid());
        try (LicenseClient product = product(cache)) {
            assertValid(product.validate());
            assertEquals(Set.of(ROTATION.activeKid(), K1.activeKid(), K2.activeKid()), product.refreshKeys());
        }

        // 3. K2 signs: the product accepts its receipts (K2 was never pinned), and so does a fresh install that never
        //    saw K2 (an unknown kid makes it fetch the set).
        start("3-switched", K2.activeKid(), K1, K2);
        assertEquals(K2.activeKid(), receiptKid());
        try (LicenseClient product = product(cache)) {
            assertValid(product.validate());
        }
        try (LicenseClient fresh = product(work.resolve("fresh-cache-" + UUID.randomUUID()))) {
            assertValid(fresh.validate());
            assertTrue(fresh.trustedKids().contains(K2.activeKid()));
        }

        // 4. K1 retired (everything it signed has expired): the next set drops it and the product stops trusting it.
        start("4-old-retired", K2.activeKid(), K2);
        assertEquals(K2.activeKid(), receiptKid());
        try (LicenseClient product = product(cache)) {
            assertValid(product.validate());
            Set<String> trusted = product.refreshKeys();
            assertEquals(Set.of(ROTATION.activeKid(), K2.activeKid()), trusted);
            assertFalse(trusted.contains(K1.activeKid()));
        }
    }

    /** VALID from the validator itself (not a cached answer). */
    private static void assertValid(LicenseAnswer answer) {
        assertEquals(LicenseCode.VALID, answer.code(), answer.detail());
        assertEquals(LicenseAnswer.Source.NETWORK, answer.source(), answer.detail());
    }

    /** The validator with {@code keys} configured (all published), {@code active} signing, the rotation key. */
    private static void start(String step, String active, SigningKeys... keys) throws IOException {
        if (validator != null) {
            validator.close();
        }
        Path dir = work.resolve(step).resolve("keys");
        Files.createDirectories(dir);
        for (SigningKeys k : keys) {
            Files.writeString(dir.resolve(k.activeKid() + ".pem"), k.privatePem(k.activeKid()));
        }
        Map<String, String> env = new HashMap<>(backends);
        env.put("LICENSING_SIGNING_ACTIVE_KID", active);
        env.put("LICENSING_SIGNING_KEY_DIRECTORY", dir.toString());
        env.put("LICENSING_SIGNING_KEY_SET_ROTATION_KID", ROTATION.activeKid());
        env.put("LICENSING_SIGNING_KEY_SET_ROTATION_KEY", work.resolve("rotation.pem").toString());
        env.put("LICENSING_EPHEMERAL_SECRETS", "false");
        // As in the tests' profile: a busy machine's dynalite needs time (an outage is refused at once anyway).
        env.put("QUARKUS_DYNAMODB_API_CALL_TIMEOUT", "20S");
        env.put("QUARKUS_DYNAMODB_API_CALL_ATTEMPT_TIMEOUT", "10S");
        validator = PackagedService.of("license-validator", env, work.resolve(step)).start(START);
    }

    private static LicenseClient product(Path cache) {
        return LicenseClient.builder().validatorUrl(validator.url()).productCode(PRODUCT).licenseKey(key)
                .pinnedKeys(ROTATION.publicJwkSetJson()).cacheDirectory(cache)
                .fingerprint(FingerprintStrategy.supplied("rotation-host"))
                .requestTimeout(Duration.ofSeconds(60)).build(); // a slow, shared CI machine: no flaky timeouts
    }

    /** The kid in the header of a receipt the validator signs now. */
    private static String receiptKid() throws IOException, InterruptedException {
        String body = "{\"key\":\"" + key + "\",\"productCode\":\"" + PRODUCT + "\",\"nonce\":\"" + UUID.randomUUID()
                + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(validator.url() + "/v1/validate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String receipt = r.body().replaceAll(".*\"receipt\":\"([^\"]+)\".*", "$1");
        String header = new String(Base64.getUrlDecoder().decode(receipt.split("\\.")[0]), StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }

    private static String seedLicense(URI endpoint) {
        LicenseKey licenseKey = LicenseKey.generate(UUID.randomUUID());
        Instant now = Instant.now();
        try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                .region(Region.of(LocalBackends.REGION)).credentialsProvider(LocalBackends.credentials())
                .httpClient(NettyNioAsyncHttpClient.create()).build()) {
            new LicenseStore(dynamo, org.licensing.store.LicenseTable.DEFAULT_NAME).create(LicenseRecord.builder()
                    .licenseId(licenseKey.licenseId().toString()).keyHash(licenseKey.secretHash())
                    .customerId("rotation-customer").customerName("Rotation Co").productCode(PRODUCT)
                    .productName("Rotation product").policyId("rotation-policy").status(LicenseStatus.ACTIVE)
                    .issuedAt(now).notBefore(now.minus(Duration.ofDays(1))).expiresAt(now.plus(Duration.ofDays(365)))
                    .graceDays(14).entitlements(Entitlements.ofWholeLimits(Map.of(), Map.of()))
                    .financeEmails(List.of("finance@rotation.test")).updatedAt(now).build()).join();
        }
        return licenseKey.text();
    }
}
