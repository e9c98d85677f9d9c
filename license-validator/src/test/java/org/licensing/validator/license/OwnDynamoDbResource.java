package org.licensing.validator.license;

import java.net.URI;
import java.util.Map;

import org.licensing.emulators.NodeEmulator;
import org.licensing.emulators.Paths;
import org.licensing.store.LicenseTable;
import org.licensing.testsupport.AwsResources;
import org.licensing.testsupport.LocalBackends;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB emulator (dynalite) of its own for {@link DynamoDbOutageTest}, which stops and restarts it: the outage
 * never touches the back ends the other test classes share, and it runs the same with or without a Docker engine
 * (the harness's LocalStack cannot be stopped and restarted by a test). One instance per Quarkus start of that class.
 */
public class OwnDynamoDbResource implements QuarkusTestResourceLifecycleManager {

    private static NodeEmulator dynalite;
    private static int port;

    @Override
    public Map<String, String> start() {
        dynalite = NodeEmulator.dynalite(logDir(), 0);
        port = dynalite.port();
        createTable();
        String p = "quarkus.dynamodb.";
        return Map.of(p + "endpoint-override", endpoint().toString(),
                p + "devservices.enabled", "false",
                p + "aws.region", LocalBackends.REGION,
                p + "aws.credentials.type", "static",
                p + "aws.credentials.static-provider.access-key-id", LocalBackends.ACCESS_KEY,
                p + "aws.credentials.static-provider.secret-access-key", LocalBackends.SECRET_KEY,
                "licensing.table", LicenseTable.DEFAULT_NAME);
    }

    @Override
    public void stop() {
        if (dynalite != null) {
            dynalite.close();
            dynalite = null;
        }
    }

    /** The outage: the emulator's process ends, its port refuses connections. */
    static synchronized void stopEmulator() {
        dynalite.close();
    }

    /** DynamoDB is back: a fresh, empty emulator on the same port (the service keeps its endpoint), table created. */
    static synchronized void restartEmulator() {
        dynalite = NodeEmulator.dynalite(logDir(), port);
        createTable();
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private static void createTable() {
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(endpoint())
                .region(Region.of(LocalBackends.REGION)).credentialsProvider(LocalBackends.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            AwsResources.createLicenseTable(client, LicenseTable.DEFAULT_NAME);
        }
    }

    private static java.nio.file.Path logDir() {
        // Inside this JVM's folder of the harness, which later runs remove once this process has ended.
        return Paths.workDir().resolve(Long.toString(ProcessHandle.current().pid())).resolve("outage-dynamodb");
    }
}
