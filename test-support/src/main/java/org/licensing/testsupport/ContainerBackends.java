package org.licensing.testsupport;

import java.net.URI;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack (DynamoDB, SQS, SES) and PostgreSQL in containers, for machines with a Docker engine. */
final class ContainerBackends implements AutoCloseable {

    /** Pinned so a test run is repeatable; override with -Dlicensing.localstack.image. */
    static final String LOCALSTACK_IMAGE = System.getProperty("licensing.localstack.image", "localstack/localstack:4.4.0");
    static final String POSTGRES_IMAGE = System.getProperty("licensing.postgres.image", "postgres:15.13-alpine");

    private LocalStackContainer localStack;
    private PostgreSQLContainer postgres;

    synchronized URI awsEndpoint() {
        if (localStack == null) {
            localStack = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                    .withServices("dynamodb", "sqs", "ses");
            localStack.start();
        }
        return localStack.getEndpoint();
    }

    synchronized String postgresHostPort() {
        if (postgres == null) {
            postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                    .withDatabaseName(LocalBackends.DB_NAME)
                    .withUsername(LocalBackends.DB_USER)
                    .withPassword(LocalBackends.DB_PASSWORD);
            postgres.start();
        }
        return postgres.getHost() + ":" + postgres.getMappedPort(5432);
    }

    @Override
    public synchronized void close() {
        if (localStack != null) {
            localStack.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }
}
