package org.licensing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.emulators.NodeEmulator;
import org.licensing.emulators.Paths;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store against a real DynamoDB API (dynalite, this class's own): the item round trip, conditional writes
 * (duplicate create, stale version) and the partition-checked cursor of the index pages.
 */
class LicenseStoreTest {

    private static NodeEmulator dynalite;
    private static DynamoDbAsyncClient dynamo;
    private static LicenseStore store;

    @BeforeAll
    static void startDynamo() {
        Path logs = Paths.workDir().resolve("license-store-" + ProcessHandle.current().pid());
        dynalite = NodeEmulator.dynalite(logs, 0);
        URI endpoint = URI.create("http://127.0.0.1:" + dynalite.port());
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test",
                "test"));
        try (DynamoDbClient admin = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            admin.createTable(LicenseTable.createTableRequest(LicenseTable.DEFAULT_NAME));
            admin.waiter().waitUntilTableExists(b -> b.tableName(LicenseTable.DEFAULT_NAME));
        }
        dynamo = DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(NettyNioAsyncHttpClient.create()).build();
        store = new LicenseStore(dynamo, LicenseTable.DEFAULT_NAME);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
        dynalite.close();
    }

    @Test
    void dynamoDbStoresReadsAndLocksLicenses() {
        LicenseRecord license = license(UUID.randomUUID().toString(), "cust-" + UUID.randomUUID(),
                Instant.parse("2027-03-01T10:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        store.create(license).join();

        LicenseRecord read = store.find(license.licenseId()).join().orElseThrow();
        assertEquals(license, read);

        CompletionException duplicate = assertThrows(CompletionException.class, () -> store.create(license).join());
        assertTrue(duplicate.getCause() instanceof LicenseAlreadyExistsException);

        LicenseRecord suspended = read.withStatus(LicenseStatus.SUSPENDED, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.update(suspended).join();
        assertEquals(LicenseStatus.SUSPENDED, store.find(license.licenseId()).join().orElseThrow().status());
        assertEquals(2, store.find(license.licenseId()).join().orElseThrow().version());

        // A second change based on the first version loses.
        LicenseRecord stale = read.withStatus(LicenseStatus.REVOKED, Instant.now());
        CompletionException conflict = assertThrows(CompletionException.class, () -> store.update(stale).join());
        assertTrue(conflict.getCause() instanceof StaleVersionException);
        assertTrue(store.find(UUID.randomUUID().toString()).join().isEmpty());
    }

    @Test
    void customerIndexPagesNewestFirstAndCursorsStayWithTheirCustomer() {
        String customer = "cust-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LicenseRecord l = license(UUID.randomUUID().toString(), customer, Instant.parse("2027-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
            store.create(l).join();
            ids.add(0, l.licenseId());
        }
        store.create(license(UUID.randomUUID().toString(), "someone-else", Instant.parse("2027-01-01T00:00:00Z"),
                Instant.now())).join();

        LicensePage first = store.pageByCustomer(customer, 3, null).join();
        LicensePage second = store.pageByCustomer(customer, 3, first.nextCursor()).join();
        List<String> seen = new ArrayList<>();
        first.licenses().forEach(l -> seen.add(l.licenseId()));
        second.licenses().forEach(l -> seen.add(l.licenseId()));
        assertEquals(ids, seen);
        assertNull(second.nextCursor());

        assertThrows(IllegalArgumentException.class, () -> store.pageByCustomer("someone-else", 3, first.nextCursor()));
        assertThrows(IllegalArgumentException.class, () -> store.pageByCustomer(customer, 3, "not-a-cursor!"));
    }

    @Test
    void expiryIndexReadsOnlyTheDaysBucket() {
        LocalDate day = LocalDate.of(2031, 5, 17);
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < 4; i++) {
            store.create(license(UUID.randomUUID().toString(), "c", noon.plusSeconds(i), Instant.now())).join();
        }
        store.create(license(UUID.randomUUID().toString(), "c", noon.plusSeconds(86_400), Instant.now())).join();
        store.create(license(UUID.randomUUID().toString(), "c", noon.minusSeconds(86_400), Instant.now())).join();

        LicensePage page = store.allByExpiryDay(day).join();
        assertEquals(4, page.licenses().size());
        assertEquals(4, page.itemsRead());
        assertTrue(page.licenses().stream().allMatch(l -> l.expiryDay().equals(day)));
    }

    private static LicenseRecord license(String id, String customer, Instant expiresAt, Instant issuedAt) {
        Instant issued = issuedAt.truncatedTo(ChronoUnit.MILLIS);
        return LicenseRecord.builder().licenseId(id).keyHash("hash-" + id).customerId(customer)
                .customerName("Acme GmbH").productCode("GPU-CLUSTER").productName("GPU Cluster Manager")
                .policyId("policy-1").status(LicenseStatus.ACTIVE).issuedAt(issued).notBefore(issued)
                .expiresAt(expiresAt).graceDays(14).maxActivations(5).maxDeactivationsPerDay(3).overagePercent(10)
                .entitlements(new Entitlements(Map.of("sso", true), Map.of("cuda.device", new BigDecimal("64"),
                        "nodes", new BigDecimal("8"), "cuda.shares", new BigDecimal("12.25"))))
                .financeEmails(List.of("finance@acme.example")).updatedAt(issued).build();
    }
}
