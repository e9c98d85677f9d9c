package org.licensing.store;

import java.net.URI;
import java.nio.file.Path;

import org.licensing.emulators.NodeEmulator;
import org.licensing.emulators.Paths;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** This module's tests' one dynalite with the table as infra creates it, started on first use, stopped at exit. */
final class TestTable {

    private static DynamoDbAsyncClient dynamo;

    private TestTable() {
    }

    static synchronized DynamoDbAsyncClient dynamo() {
        if (dynamo == null) {
            Path logs = Paths.workDir().resolve("license-store-" + ProcessHandle.current().pid());
            NodeEmulator dynalite = NodeEmulator.dynalite(logs, 0);
            URI endpoint = URI.create("http://127.0.0.1:" + dynalite.port());
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test",
                    "test"));
            try (DynamoDbClient admin = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
                admin.createTable(LicenseTable.createTableRequest(LicenseTable.DEFAULT_NAME));
                admin.waiter().waitUntilTableExists(b -> b.tableName(LicenseTable.DEFAULT_NAME));
            }
            DynamoDbAsyncClient client = DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(NettyNioAsyncHttpClient.create()).build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                dynalite.close();
            }));
            dynamo = client;
        }
        return dynamo;
    }
}
