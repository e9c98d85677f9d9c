package org.licensing.issuer.eventimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensing.issuer.readmodel.ReadModelFixtures.rows;
import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;
import static org.licensing.issuer.support.Api.portal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.store.EventOutbox;
import org.licensing.store.EventOutboxStore;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.store.OutboxEvent;
import org.licensing.testsupport.ServiceTest;

import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The import of the services' events over the DynamoDB emulator, PostgreSQL and HTTP: every type the validator and the
 * notification service write appears in {@code GET /v1/events} with its subject, license and customer (the portal
 * scope), in the order written, and reaches a subscribed webhook; the items leave the pending-events index; the import
 * is idempotent (run twice, two replicas at once, a crash between the feed's commit and the items' cleanup: each event
 * once).
 */
@ServiceTest
class EventImportTest {

    @Inject
    EventImporter importer;

    @Inject
    EventImportStore publisher;

    @Inject
    EventOutboxStore outbox;

    @Inject
    LicenseStore licenses;

    @Inject
    DynamoDbAsyncClient dynamo;

    /** The six types as the validator (license item) and the notification service (its ledger items) write them. */
    private record Written(String pk, OutboxEvent event) {
    }

    private static OutboxEvent event(String type, String subjectType, String subjectId, String licenseId,
            String customerId, Instant at, String data) {
        return new OutboxEvent(UUID.randomUUID().toString(), type, at, subjectType, subjectId, licenseId, customerId,
                data);
    }

    private List<Written> writeEveryType(String licenseId, String customerId) {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        String licensePk = LicenseTable.licensePk(licenseId);
        String machine = OutboxEvent.machineId(licenseId, "host-a");
        List<Written> w = new ArrayList<>();
        w.add(new Written(licensePk, event("machine.activated", "machine", machine, licenseId, customerId, t,
                "{\"licenseId\":\"" + licenseId + "\",\"fingerprint\":\"host-a\"}")));
        w.add(new Written(licensePk, event("license.limit-exceeded", "license", licenseId, licenseId, customerId,
                t.plusMillis(1), "{\"limit\":\"gpus\",\"allowed\":\"10\",\"reported\":\"11\"}")));
        w.add(new Written(licensePk, event("machine.heartbeat-missed", "machine", machine, licenseId, customerId,
                t.plusMillis(2), "{\"fingerprint\":\"host-a\",\"heartbeatHours\":2}")));
        w.add(new Written(licensePk, event("machine.deactivated", "machine", machine, licenseId, customerId,
                t.plusMillis(3), "{\"fingerprint\":\"host-a\"}")));
        String reminderPk = "REMINDER#" + licenseId + "#2027-01-01#7";
        w.add(new Written(reminderPk, new OutboxEvent(OutboxEvent.idFor(reminderPk), "license.expiring-soon",
                t.plusMillis(4), "license", licenseId, licenseId, customerId, "{\"thresholdDays\":7}")));
        String expiredPk = "EXPIRED#" + licenseId + "#1798761600000";
        w.add(new Written(expiredPk, new OutboxEvent(OutboxEvent.idFor(expiredPk), "license.expired", t.plusMillis(5),
                "license", licenseId, licenseId, customerId, "{\"graceDays\":14}")));
        for (Written x : w) {
            if (!x.pk().startsWith(LicenseTable.LICENSE_PREFIX)) {
                dynamo.putItem(b -> b.tableName(licenses.table())
                        .item(Map.of(LicenseTable.PK, AttributeValue.fromS(x.pk())))).join();
            }
            outbox.append(x.pk(), List.of(x.event()), x.event().occurredAt()).join();
        }
        return w;
    }

    private static List<Map<String, Object>> feed(String token, Map<String, Object> params) {
        return as(token).queryParams(params).get("/v1/events").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    private Map<String, AttributeValue> item(String pk) {
        return dynamo.getItem(b -> b.tableName(licenses.table()).key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk)))
                .consistentRead(true)).join().item();
    }

    @Test
    void everyImportedTypeAppearsInTheFeedInOrderWithItsSubjectAndCustomerAndReachesAWebhook() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String endpoint = as(admin()).body(Map.of("url", "http://127.0.0.2:" + receiver.getAddress().getPort() + "/h",
                "eventTypes", List.of("machine.heartbeat-missed", "license.expired"))).post("/v1/webhook-endpoints")
                .then().statusCode(201).extract().path("id");
        try {
            Api.Fixture a = Api.fixture();
            String license = a.issue().getString("licenseId");
            List<Written> written = writeEveryType(license, a.customerId());

            // (the scheduled import may publish them first: either way, each once)
            importer.run().await().atMost(Duration.ofSeconds(30));

            List<Map<String, Object>> seen = feed(admin(), Map.of("licenseId", license, "limit", 500)).stream()
                    .filter(e -> !"license.issued".equals(e.get("type"))).toList();
            assertEquals(written.stream().map(x -> x.event().id()).toList(), seen.stream().map(e -> e.get("id")).toList(),
                    "each once, oldest first");
            for (int i = 0; i < written.size(); i++) {
                OutboxEvent e = written.get(i).event();
                Map<String, Object> got = seen.get(i);
                assertEquals(e.type(), got.get("type"));
                assertEquals(Map.of("type", e.subjectType(), "id", e.subjectId()), got.get("subject"));
                assertEquals(license, got.get("licenseId"));
                assertEquals(a.customerId(), got.get("customerId"));
                assertEquals(e.occurredAt().toString(), got.get("timestamp"));
                assertFalse(((Map<?, ?>) got.get("data")).isEmpty());
            }
            // the type filter knows the imported types; a portal token sees its own customer's, another one's nothing
            assertEquals(1, feed(admin(), Map.of("licenseId", license, "type", "machine.activated")).size());
            assertEquals(written.size() + 1, feed(portal(a.customerId()), Map.of("licenseId", license, "limit", 500))
                    .size());
            assertEquals(List.of(), feed(portal(Api.fixture().customerId()), Map.of("licenseId", license)));
            // imported events left their items and the index
            for (Written x : written) {
                Map<String, AttributeValue> stored = item(x.pk());
                assertEquals(List.of(), EventOutbox.eventsOf(stored), x.pk());
                assertFalse(stored.containsKey(LicenseTable.OUTBOX_SHARD), x.pk());
            }
            // the subscribed endpoint gets its two types, like any other event
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (bodies.stream().filter(b -> b.contains(license)).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<String> types = new ArrayList<>();
            for (String b : bodies) {
                JsonPath body = new JsonPath(b);
                if (license.equals(body.getString("licenseId"))) {
                    types.add(body.getString("type"));
                }
            }
            assertEquals(List.of("machine.heartbeat-missed", "license.expired"), types);
        } finally {
            as(admin()).delete("/v1/webhook-endpoints/" + endpoint);
            receiver.stop(0);
        }
    }

    @Test
    void theImportIsIdempotentRunTwiceTwoReplicasAtOnceOrACrashBeforeTheCleanup() {
        Api.Fixture a = Api.fixture();
        String license = a.issue().getString("licenseId");
        List<Written> first = writeEveryType(license, a.customerId());
        // a replica that committed the feed and died before removing the events from the items
        publisher.publish(first.stream().map(Written::event).toList()).await().atMost(Duration.ofSeconds(30));
        // then two replicas at once, then another run
        Uni.join().all(importer.run(), importer.run()).andFailFast().await().atMost(Duration.ofSeconds(60));
        importer.run().await().atMost(Duration.ofSeconds(30));
        List<Written> second = writeEveryType(license, a.customerId());
        Uni.join().all(importer.run(), importer.run()).andFailFast().await().atMost(Duration.ofSeconds(60));
        importer.run().await().atMost(Duration.ofSeconds(30));

        List<Object> ids = feed(admin(), Map.of("licenseId", license, "limit", 500)).stream()
                .filter(e -> !"license.issued".equals(e.get("type"))).map(e -> e.get("id")).toList();
        List<String> expected = new ArrayList<>();
        first.forEach(x -> expected.add(x.event().id()));
        second.stream().map(x -> x.event().id()).filter(id -> !expected.contains(id)).forEach(expected::add);
        assertEquals(expected, ids, "every event once");
        Map<String, String> counts = new HashMap<>(rows("SELECT count(*) AS n, count(DISTINCT id) AS d FROM events"
                + " WHERE license_id = ?", license).get(0));
        assertEquals(counts.get("d"), counts.get("n"));
        for (Written x : second) {
            assertEquals(List.of(), EventOutbox.eventsOf(item(x.pk())), x.pk());
        }
    }
}
