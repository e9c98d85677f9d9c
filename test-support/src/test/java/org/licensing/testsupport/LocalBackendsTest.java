package org.licensing.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
import org.licensing.core.license.LicenseAlreadyExistsException;
import org.licensing.core.license.LicensePage;
import org.licensing.core.license.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.license.LicenseStore;
import org.licensing.core.license.LicenseTable;
import org.licensing.core.license.StaleVersionException;

import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Proves each local back end answers the way the services use it. */
class LocalBackendsTest {

    private static final LocalBackends BACKENDS = LocalBackends.shared();
    private static DynamoDbAsyncClient dynamo;
    private static LicenseStore store;

    @BeforeAll
    static void startDynamo() {
        dynamo = DynamoDbAsyncClient.builder()
                .endpointOverride(BACKENDS.dynamoDbEndpoint())
                .region(Region.of(LocalBackends.REGION))
                .credentialsProvider(LocalBackends.credentials())
                .httpClient(NettyNioAsyncHttpClient.create())
                .build();
        store = new LicenseStore(dynamo, LicenseTable.DEFAULT_NAME);
    }

    @AfterAll
    static void closeClient() {
        dynamo.close();
    }

    @Test
    void quarkusConfigPointsAtEveryBackend() {
        Map<String, String> config = BACKENDS.start(Backend.parse("dynamodb,sqs,ses,postgres"));
        assertEquals(BACKENDS.dynamoDbEndpoint().toString(), config.get("quarkus.dynamodb.endpoint-override"));
        assertEquals(BACKENDS.sqsEndpoint().toString(), config.get("quarkus.sqs.endpoint-override"));
        assertEquals(BACKENDS.sesEndpoint().toString(), config.get("quarkus.sesv2.endpoint-override"));
        assertTrue(config.get("quarkus.datasource.reactive.url").startsWith("postgresql://"));
        assertEquals(BACKENDS.reminderQueues().queueUrl(), config.get("licensing.reminders.queue-url"));
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
            assertEquals(org.licensing.core.reminder.ReminderQueues.MAX_RECEIVE_COUNT, receives);
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

    private static LicenseRecord license(String id, String customer, Instant expiresAt, Instant issuedAt) {
        Instant issued = issuedAt.truncatedTo(ChronoUnit.MILLIS);
        return new LicenseRecord(id, "hash-" + id, customer, "Acme GmbH", "GPU-CLUSTER", "GPU Cluster Manager",
                "policy-1", LicenseStatus.ACTIVE, issued, issued, expiresAt, 14, 5, 0, 3, 10,
                new Entitlements(Map.of("sso", true), Map.of("gpus", 64L, "nodes", 8L)),
                List.of("finance@acme.example"), Map.of(), null, 0, 1, issued);
    }
}
