package org.licensing.infra;

import static org.licensing.infra.Services.POSTGRES_PORT;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensing.store.LicenseTable;
import org.licensing.store.ReminderQueues;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.ConfigurationSetEventDestinationOptions;
import software.amazon.awscdk.services.ses.ConfigurationSetTlsPolicy;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.EmailSendingEvent;
import software.amazon.awscdk.services.ses.EventDestination;
import software.amazon.awscdk.services.ses.Identity;
import software.amazon.awscdk.services.ses.SuppressionReasons;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Everything that holds data: the DynamoDB table, the reminder queue and its DLQ, the SES identity and its
 * configuration set, and the Aurora PostgreSQL cluster with its two secrets. The logical ids of these resources are
 * pinned ({@code StatefulLogicalIdsTest}): a changed id would make CloudFormation replace the resource.
 */
final class Data extends Part {

    /** Aurora cluster identifier (fixed, so its PostgreSQL log group can be created with a retention first). */
    static final String DATABASE_CLUSTER_IDENTIFIER = "licensing-catalog";

    private final Table table;
    private final Queue reminderQueue;
    private final Queue reminderDlq;
    private final EmailIdentity senderIdentity;
    private final ConfigurationSet emailConfigurationSet;
    private final DatabaseCluster database;
    private final DatabaseSecret databaseAppSecret;

    Data(Construct scope, String id, LicensingStackProps props, IVpc vpc, ISecurityGroup databaseSg,
            ITopic emailEventsTopic) {
        super(scope, id);
        table = licenseTable();

        // The DLQ admits exactly the reminder queue as a source. Its ARN is built from the queue's fixed name: a
        // reference to the queue itself would be circular (the queue's redrive policy points at the DLQ).
        String reminderQueueArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("sqs")
                .resource(ReminderQueues.DEFAULT_QUEUE)
                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                .build());
        reminderDlq = Queue.Builder.create(this, "ReminderDlq")
                .queueName(ReminderQueues.DEFAULT_DEAD_LETTER_QUEUE)
                .retentionPeriod(Duration.seconds(ReminderQueues.DEAD_LETTER_RETENTION_SECONDS))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .redriveAllowPolicy(RedriveAllowPolicy.builder()
                        .redrivePermission(RedrivePermission.BY_QUEUE)
                        .sourceQueues(List.of(Queue.fromQueueArn(this, "ReminderQueueSource", reminderQueueArn)))
                        .build())
                .build();
        reminderQueue = Queue.Builder.create(this, "ReminderQueue")
                .queueName(ReminderQueues.DEFAULT_QUEUE)
                .visibilityTimeout(Duration.seconds(ReminderQueues.VISIBILITY_TIMEOUT_SECONDS))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(reminderDlq)
                        .maxReceiveCount(ReminderQueues.MAX_RECEIVE_COUNT)
                        .build())
                .build();

        // Every reminder goes out through the configuration set (the identity's default): bounces and complaints
        // are published to the email-events topic and land on the account's suppression list.
        emailConfigurationSet = ConfigurationSet.Builder.create(this, "EmailConfigurationSet")
                .tlsPolicy(ConfigurationSetTlsPolicy.REQUIRE)
                .suppressionReasons(SuppressionReasons.BOUNCES_AND_COMPLAINTS)
                .reputationMetrics(true)
                .build();
        emailConfigurationSet.addEventDestination("BouncesAndComplaints", ConfigurationSetEventDestinationOptions.builder()
                .destination(EventDestination.snsTopic(emailEventsTopic))
                .events(List.of(EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT))
                .build());
        senderIdentity = EmailIdentity.Builder.create(this, "SenderIdentity")
                .identity(Identity.domain(props.senderDomain()))
                .configurationSet(emailConfigurationSet)
                .build();

        LogGroup databaseLogs = Logs.retained(this, "CatalogDbLogs",
                "/aws/rds/cluster/" + DATABASE_CLUSTER_IDENTIFIER + "/postgresql", props.logRetention());
        database = DatabaseCluster.Builder.create(this, "CatalogDb")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_9).build()))
                .clusterIdentifier(DATABASE_CLUSTER_IDENTIFIER)
                // The owner: runs the migrations (Flyway). The service itself connects as the application role.
                .credentials(Credentials.fromGeneratedSecret(Services.DB_OWNER))
                .defaultDatabaseName(Services.DB_NAME)
                .parameters(Map.of("rds.force_ssl", "1"))
                .writer(ClusterInstance.serverlessV2("writer"))
                .readers(List.of(ClusterInstance.serverlessV2("reader",
                        ServerlessV2ClusterInstanceProps.builder().scaleWithWriter(true).build())))
                .serverlessV2MinCapacity(0.5)
                .serverlessV2MaxCapacity(4)
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .securityGroups(List.of(databaseSg))
                .port(POSTGRES_PORT)
                .storageEncrypted(true)
                .deletionProtection(true)
                .backup(BackupProps.builder().retention(Duration.days(14)).build())
                .cloudwatchLogsExports(List.of("postgresql"))
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        database.getNode().addDependency(databaseLogs);
        pinOwnerSecretId();
        // The application role's credentials: created by the issuer's migration from this secret (see README).
        databaseAppSecret = DatabaseSecret.Builder.create(this, "DatabaseAppSecret")
                .username(Services.DB_APP_USER)
                .dbname(Services.DB_NAME)
                .build();
        databaseAppSecret.attach(database);

        Nag.suppress(database, "AwsSolutions-RDS6", "The issuer authenticates with generated passwords from "
                + "Secrets Manager over verified TLS (rds.force_ssl); the database admits only the issuer security "
                + "group. IAM tokens would need token refresh in the reactive pool for no gain here.");
        Nag.suppress(database, "AwsSolutions-SMG4", "Rotation needs a rotation Lambda with a network path to the "
                + "database, which would break 'the database admits only the issuer'. Rotation is a runbook step "
                + "(infra/README.md): rotate, update the Kubernetes secret, restart the issuer.");
        Nag.suppress(databaseAppSecret, "AwsSolutions-SMG4", "The application role's password: same reason as the "
                + "owner's secret (no rotation Lambda may reach the database); rotated by the runbook in "
                + "infra/README.md, where the issuer's migration applies the new password.");
    }

    /**
     * CDK names the generated owner secret itself, from its full construct path plus a hash of its password rules
     * ({@code Names.uniqueId} + md5), which this part would change: the same name without the part, and the same hash.
     */
    private void pinOwnerSecretId() {
        // (database.getSecret() is the secret's attachment to the cluster; the secret is the cluster's child "Secret".)
        IConstruct owner = database.getNode().findChild("Secret");
        CfnResource secret = (CfnResource) owner.getNode().getDefaultChild();
        String generated = Stack.of(this).resolve(secret.getLogicalId()).toString();
        String passwordRulesHash = generated.substring(generated.length() - 32);
        secret.overrideLogicalId(FlatNames.uniqueId(owner) + passwordRulesHash);
    }

    private Table licenseTable() {
        var request = LicenseTable.createTableRequest(LicenseTable.DEFAULT_NAME);
        Map<String, AttributeType> types = new LinkedHashMap<>();
        request.attributeDefinitions().forEach(a -> types.put(a.attributeName(),
                switch (a.attributeType()) {
                    case S -> AttributeType.STRING;
                    case N -> AttributeType.NUMBER;
                    case B -> AttributeType.BINARY;
                    default -> throw new IllegalStateException("unknown attribute type " + a.attributeType());
                }));
        Table licenses = Table.Builder.create(this, "LicenseTable")
                .tableName(request.tableName())
                .partitionKey(attribute(LicenseTable.PK, types))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute(LicenseTable.TTL)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // The indexes exactly as license-store creates them for the tests and the local runner; every one is queried
        // (by-expiry-day by the notification service; the issuer searches its PostgreSQL read model instead).
        request.globalSecondaryIndexes().forEach(gsi -> licenses.addGlobalSecondaryIndex(
                GlobalSecondaryIndexProps.builder()
                        .indexName(gsi.indexName())
                        .partitionKey(attribute(gsi.keySchema().get(0).attributeName(), types))
                        .sortKey(attribute(gsi.keySchema().get(1).attributeName(), types))
                        .projectionType(ProjectionType.ALL)
                        .build()));
        return licenses;
    }

    private static Attribute attribute(String name, Map<String, AttributeType> types) {
        return Attribute.builder().name(name).type(types.get(name)).build();
    }

    Table table() {
        return table;
    }

    String indexArn(String index) {
        return table.getTableArn() + "/index/" + index;
    }

    Queue reminderQueue() {
        return reminderQueue;
    }

    Queue reminderDlq() {
        return reminderDlq;
    }

    EmailIdentity senderIdentity() {
        return senderIdentity;
    }

    ConfigurationSet emailConfigurationSet() {
        return emailConfigurationSet;
    }

    String configurationSetArn() {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("ses")
                .resource("configuration-set")
                .resourceName(emailConfigurationSet.getConfigurationSetName())
                .build());
    }

    DatabaseCluster database() {
        return database;
    }

    DatabaseSecret databaseAppSecret() {
        return databaseAppSecret;
    }
}
