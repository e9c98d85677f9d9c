package org.licensing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jboss.logging.Logger;
import org.licensing.emulators.NodeEmulator;
import org.licensing.emulators.Paths;
import org.licensing.store.LicenseTable;
import org.licensing.store.ReminderQueues;
import org.testcontainers.DockerClientFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB, SQS, SES and PostgreSQL on this machine, each started at most once per JVM, on first use, and
 * stopped when the JVM exits. With a Docker engine (and {@code harness.mode} not {@code embedded}) they are
 * LocalStack and PostgreSQL containers; without one, dynalite, ElasticMQ, aws-ses-v2-local and embedded
 * PostgreSQL. Either way the table and queues are created as infra creates them. In-memory and removed after the
 * run, unless system property {@code harness.data-dir} names a directory (the local run's {@code --keep}): then
 * dynalite's tables and PostgreSQL's data live there and the next run finds them (SQS and SES stay in memory).
 */
public final class LocalBackends {

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";
    public static final String DB_NAME = "postgres";

    private static final Logger LOG = Logger.getLogger(LocalBackends.class);
    private static LocalBackends shared;

    private final boolean docker;
    private final Path workDir;
    /** System property {@code harness.data-dir}: DynamoDB tables and PostgreSQL data kept there across runs. */
    private final Path dataDir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private URI dynamoDb;
    private URI sqs;
    private URI ses;
    private String dbHostPort;
    private NodeEmulator dynalite;
    private ContainerBackends containers;
    private QueueUrls queues;

    private LocalBackends(boolean docker) {
        this.docker = docker;
        this.workDir = Paths.workDir().resolve(Long.toString(ProcessHandle.current().pid()));
        String keep = System.getProperty("harness.data-dir", "");
        this.dataDir = keep.isBlank() ? null : Path.of(keep).toAbsolutePath();
        removeLeftoversOfEndedRuns();
    }

    /** Each run starts clean: folders of runs whose process has ended (even by SIGKILL) are removed. */
    private static void removeLeftoversOfEndedRuns() {
        java.io.File[] runs = Paths.workDir().toFile().listFiles();
        if (runs == null) {
            return;
        }
        for (java.io.File run : runs) {
            if (run.getName().matches("\\d+") && ProcessHandle.of(Long.parseLong(run.getName())).isEmpty()) {
                try (var files = java.nio.file.Files.walk(run.toPath())) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException | UncheckedIOException e) {
                    LOG.debugf("could not remove %s: %s", run, e);
                }
            }
        }
    }

    /** The JVM's back ends; the first call decides Docker or embedded. */
    public static synchronized LocalBackends shared() {
        if (shared == null) {
            shared = new LocalBackends(useDocker());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "local-backends-stop"));
        }
        return shared;
    }

    private static boolean useDocker() {
        String mode = System.getProperty("harness.mode", System.getenv().getOrDefault("HARNESS_MODE", "auto"));
        if ("embedded".equals(mode)) {
            return false;
        }
        boolean available;
        if (!dockerLikelyPresent()) {
            available = false;
        } else try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            available = false;
        }
        if ("docker".equals(mode) && !available) {
            throw new IllegalStateException("harness.mode=docker but no Docker engine answers");
        }
        LOG.infof("local back ends: %s", available ? "LocalStack and PostgreSQL containers (Docker)"
                : "dynalite, ElasticMQ, aws-ses-v2-local, embedded PostgreSQL (no Docker engine)");
        return available;
    }

    /** The checkout's root folder (where emulators/ and test-support/ are), for tools that start the packaged services. */
    public static java.nio.file.Path checkoutRoot() {
        return Paths.root();
    }

    /** Where this JVM's back ends keep logs and data (under the checkout's target/). */
    public java.nio.file.Path workDir() {
        return workDir;
    }

    /** Avoids Testcontainers' slow, noisy probe where no engine can possibly answer. */
    private static boolean dockerLikelyPresent() {
        String home = System.getProperty("user.home");
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"));
    }

    public boolean isDocker() {
        return docker;
    }

    /** Starts what is asked for (if not yet running) and returns the Quarkus config that points at it. */
    public synchronized Map<String, String> start(Set<Backend> backends) {
        Map<String, String> config = new LinkedHashMap<>();
        for (Backend backend : backends) {
            switch (backend) {
                case DYNAMODB -> {
                    awsClientConfig(config, "dynamodb", dynamoDbEndpoint());
                    config.put("licensing.table", LicenseTable.DEFAULT_NAME);
                }
                case SQS -> {
                    awsClientConfig(config, "sqs", sqsEndpoint());
                    config.put("licensing.reminders.queue-url", reminderQueues().queueUrl());
                    config.put("licensing.reminders.dead-letter-queue-url", reminderQueues().deadLetterQueueUrl());
                }
                case SES -> {
                    // No Quarkus extension for SES v2: the notification service reads licensing.ses.*.
                    config.put("licensing.ses.endpoint-override", sesEndpoint().toString());
                    config.put("licensing.ses.region", REGION);
                    config.put("licensing.ses.credentials-type", "static");
                    config.put("licensing.ses.access-key-id", ACCESS_KEY);
                    config.put("licensing.ses.secret-access-key", SECRET_KEY);
                }
                case POSTGRES -> {
                    String hostPort = postgresHostPort();
                    config.put("quarkus.datasource.devservices.enabled", "false");
                    config.put("quarkus.datasource.username", DB_USER);
                    config.put("quarkus.datasource.password", DB_PASSWORD);
                    config.put("quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/" + DB_NAME);
                    config.put("quarkus.datasource.jdbc.url", jdbcUrl());
                }
            }
        }
        return config;
    }

    private static void awsClientConfig(Map<String, String> config, String service, URI endpoint) {
        String p = "quarkus." + service + ".";
        config.put(p + "endpoint-override", endpoint.toString());
        config.put(p + "devservices.enabled", "false");
        config.put(p + "aws.region", REGION);
        config.put(p + "aws.credentials.type", "static");
        config.put(p + "aws.credentials.static-provider.access-key-id", ACCESS_KEY);
        config.put(p + "aws.credentials.static-provider.secret-access-key", SECRET_KEY);
    }

    public synchronized URI dynamoDbEndpoint() {
        if (dynamoDb == null) {
            if (docker) {
                dynamoDb = containers().awsEndpoint();
            } else {
                dynalite = NodeEmulator.dynalite(workDir, 0, dataDir("dynamodb"));
                running.add(dynalite);
                dynamoDb = URI.create("http://127.0.0.1:" + dynalite.port());
            }
            try (DynamoDbClient client = dynamoDbClient()) {
                AwsResources.createLicenseTable(client, LicenseTable.DEFAULT_NAME);
            }
        }
        return dynamoDb;
    }

    public synchronized URI sqsEndpoint() {
        if (sqs == null) {
            if (docker) {
                sqs = containers().awsEndpoint();
            } else {
                SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
                        .withDynamicPort()
                        .withAWSRegion(REGION)
                        .start();
                int port = server.waitUntilStarted().localAddress().getPort();
                running.add(server::stopAndWait);
                sqs = URI.create("http://127.0.0.1:" + port);
            }
        }
        return sqs;
    }

    public synchronized URI sesEndpoint() {
        if (ses == null) {
            if (docker) {
                ses = containers().awsEndpoint();
            } else {
                NodeEmulator emulator = NodeEmulator.start("aws-ses-v2-local", "aws-ses-v2-local/dist/cli.js",
                        List.of("--host", "127.0.0.1", "--port", "{port}"),
                        Map.of("AWS_SES_ACCOUNT", "{}"), workDir);
                running.add(emulator);
                ses = URI.create("http://127.0.0.1:" + emulator.port());
            }
        }
        return ses;
    }

    /** The reminder queue and its dead-letter queue, created on first use with the redrive policy infra sets. */
    public synchronized QueueUrls reminderQueues() {
        if (queues == null) {
            try (SqsClient client = sqsClient()) {
                queues = AwsResources.createReminderQueues(client, ReminderQueues.DEFAULT_QUEUE,
                        ReminderQueues.DEFAULT_DEAD_LETTER_QUEUE);
            }
        }
        return queues;
    }

    public synchronized String jdbcUrl() {
        return "jdbc:postgresql://" + postgresHostPort() + "/" + DB_NAME;
    }

    private String postgresHostPort() {
        if (dbHostPort == null) {
            if (docker) {
                dbHostPort = containers().postgresHostPort();
            } else {
                try {
                    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                            .setPort(NodeEmulator.freePort())
                            .setOverrideWorkingDirectory(workDir.resolve("postgres").toFile());
                    Path keptData = dataDir("postgres");
                    if (keptData != null) {
                        // initdb only when the directory holds no cluster yet; never deleted on stop.
                        builder.setDataDirectory(keptData).setCleanDataDirectory(false);
                    }
                    EmbeddedPostgres pg = builder.start();
                    running.add(pg);
                    dbHostPort = "127.0.0.1:" + pg.getPort();
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded PostgreSQL did not start", e);
                }
            }
        }
        return dbHostPort;
    }

    /** {@code harness.data-dir}/{@code name}, created, or null when the run keeps nothing. */
    private Path dataDir(String name) {
        if (dataDir == null) {
            return null;
        }
        try {
            return java.nio.file.Files.createDirectories(dataDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what aws-ses-v2-local (or LocalStack) recorded as sent. */
    public SentEmails sentEmails() {
        return new SentEmails(sesEndpoint(), docker);
    }

    /** Simulates an outage: stops the DynamoDB emulator (embedded mode only); {@link #restartDynamoDb} brings it back. */
    public synchronized void stopDynamoDb() {
        requireEmbedded("stopping DynamoDB");
        if (dynalite != null) {
            dynalite.close();
        }
    }

    /** Starts a fresh, empty DynamoDB emulator on the same port and recreates the table. */
    public synchronized void restartDynamoDb() {
        requireEmbedded("restarting DynamoDB");
        int port = dynamoDb.getPort();
        dynalite = NodeEmulator.dynalite(workDir, port);
        running.add(dynalite);
        try (DynamoDbClient client = dynamoDbClient()) {
            AwsResources.createLicenseTable(client, LicenseTable.DEFAULT_NAME);
        }
    }

    private void requireEmbedded(String what) {
        if (docker) {
            throw new UnsupportedOperationException(what + " is supported with the embedded back ends only");
        }
    }

    public DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SqsClient sqsClient() {
        return SqsClient.builder().endpointOverride(sqsEndpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SesV2Client sesClient() {
        return SesV2Client.builder().endpointOverride(sesEndpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private ContainerBackends containers() {
        if (containers == null) {
            containers = new ContainerBackends();
            running.add(containers);
        }
        return containers;
    }

    /** Stops everything this JVM started, newest first. Also run by a shutdown hook. */
    public synchronized void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warnf("stopping a local back end failed: %s", e.toString());
            }
        }
        running.clear();
        dynamoDb = null;
        sqs = null;
        ses = null;
        dbHostPort = null;
        queues = null;
        containers = null;
        dynalite = null;
    }
}
