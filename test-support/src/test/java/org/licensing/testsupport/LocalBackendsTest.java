package org.licensing.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.licensing.store.LicenseTable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Proves each local back end answers the way the services use it. */
class LocalBackendsTest {

    private static final LocalBackends BACKENDS = LocalBackends.shared();

    @Test
    void quarkusConfigPointsAtEveryBackend() {
        Map<String, String> config = BACKENDS.start(Backend.parse("dynamodb,sqs,ses,postgres"));
        assertEquals(BACKENDS.dynamoDbEndpoint().toString(), config.get("quarkus.dynamodb.endpoint-override"));
        assertEquals(BACKENDS.sqsEndpoint().toString(), config.get("quarkus.sqs.endpoint-override"));
        assertEquals(BACKENDS.sesEndpoint().toString(), config.get("licensing.ses.endpoint-override"));
        assertTrue(config.get("quarkus.datasource.reactive.url").startsWith("postgresql://"));
        assertEquals(BACKENDS.reminderQueues().queueUrl(), config.get("licensing.reminders.queue-url"));
    }

    @Test
    void dynamoDbHasTheLicenseTableWithItsIndexes() {
        try (DynamoDbClient dynamo = BACKENDS.dynamoDbClient()) {
            TableDescription table = dynamo.describeTable(b -> b.tableName(LicenseTable.DEFAULT_NAME)).table();
            assertEquals(LicenseTable.createTableRequest(LicenseTable.DEFAULT_NAME).globalSecondaryIndexes().size(),
                    table.globalSecondaryIndexes().size());
        }
    }

    @Test
    void sqsDeliversAndMovesPoisonMessagesToTheDeadLetterQueue() {
        QueueUrls queues = BACKENDS.reminderQueues();
        try (SqsClient sqs = BACKENDS.sqsClient()) {
            String body = "poison-" + UUID.randomUUID();
            sqs.sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
            int receives = 0;
            for (int attempt = 0; attempt < 20; attempt++) {
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queues.queueUrl()).waitTimeSeconds(1)
                        .visibilityTimeout(0).maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                if (got.stream().anyMatch(m -> m.body().equals(body))) {
                    receives++;
                } else if (receives > 0) {
                    break;
                }
            }
            assertEquals(org.licensing.store.ReminderQueues.MAX_RECEIVE_COUNT, receives);
            List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).waitTimeSeconds(2)
                    .maxNumberOfMessages(10)).messages();
            assertTrue(dead.stream().anyMatch(m -> m.body().equals(body)), "message is in the dead-letter queue");
        }
    }

    @Test
    void sesSendsAndTheStoreShowsTheEmail() {
        String recipient = "finance-" + UUID.randomUUID() + "@customer.example";
        try (SesV2Client ses = BACKENDS.sesClient()) {
            ses.sendEmail(b -> b.fromEmailAddress("licensing@vendor.example")
                    .destination(d -> d.toAddresses(recipient))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Your license expires in 7 days"))
                            .body(body -> body.text(t -> t.data("Renew it, please."))
                                    .html(h -> h.data("<p>Renew it, please.</p>"))))));
        }
        List<SentEmail> sent = BACKENDS.sentEmails().to(recipient);
        assertEquals(1, sent.size());
        assertEquals("Your license expires in 7 days", sent.get(0).subject());
        assertEquals("licensing@vendor.example", sent.get(0).from());
        assertTrue(sent.get(0).text().contains("Renew it"));
        assertTrue(sent.get(0).html().contains("<p>"));
    }

    @Test
    void postgresRoundTrip() throws Exception {
        try (Connection c = DriverManager.getConnection(BACKENDS.jdbcUrl(), LocalBackends.DB_USER,
                LocalBackends.DB_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS harness_probe (id uuid PRIMARY KEY, name text NOT NULL)");
            UUID id = UUID.randomUUID();
            s.execute("INSERT INTO harness_probe VALUES ('" + id + "', 'acme')");
            try (ResultSet rs = s.executeQuery("SELECT name, version() FROM harness_probe WHERE id = '" + id + "'")) {
                assertTrue(rs.next());
                assertEquals("acme", rs.getString(1));
                assertTrue(rs.getString(2).startsWith("PostgreSQL 15"), rs.getString(2));
                assertFalse(rs.next());
            }
        }
    }

}
