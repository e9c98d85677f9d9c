package org.licensing.validator.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.license.Entitlements;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Benchmark seeding: writes N active licenses through license-core's LicenseStore (like the issuer) and one key
 * per line to a file. Usage: {@code SeedLicenses <dynamodb-endpoint> <table> <count> <keys-file> <productCode>}.
 */
public final class SeedLicenses {

    private SeedLicenses() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String table = args[1];
        int count = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        String product = args[4];
        try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(NettyNioAsyncHttpClient.create()).build()) {
            LicenseStore store = new LicenseStore(dynamo, table);
            Instant now = Instant.now();
            List<String> keys = new ArrayList<>(count);
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                LicenseKey key = LicenseKey.generate(UUID.randomUUID());
                LicenseRecord r = LicenseRecord.builder().licenseId(key.licenseId().toString())
                        .keyHash(key.secretHash()).customerId("bench-customer").customerName("Bench Customer")
                        .productCode(product).productName("Bench Product").policyId("bench-policy")
                        .status(LicenseStatus.ACTIVE).issuedAt(now).notBefore(now.minus(Duration.ofDays(1)))
                        .expiresAt(now.plus(Duration.ofDays(365))).graceDays(14).overagePercent(10)
                        .entitlements(Entitlements.ofWholeLimits(Map.of("mig", true), Map.of("gpus", 64L, "nodes", 8L)))
                        .financeEmails(List.of("finance@bench.test")).updatedAt(now).build();
                inFlight.add(store.create(r));
                keys.add(key.text());
                if (inFlight.size() == 32) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                    inFlight.clear();
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            Files.write(out, keys);
            System.out.println("seeded " + count + " licenses into " + table + " at " + endpoint);
        }
    }
}
