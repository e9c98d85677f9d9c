package org.licensing.validator.event;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.store.EventOutbox;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.store.OutboxEvent;
import org.licensing.testsupport.ServiceTest;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The validator's events over real HTTP and the DynamoDB emulator: each lands in the license item's outbox with the
 * change it reports, with the license's customer (the feed's portal scope); a refused change leaves none; a
 * limit-exceeded once per license per UTC day, also under concurrent validations; a machine whose heartbeat is overdue
 * is reported once, when the next request of its license frees its seat; plain validations write nothing.
 */
@ServiceTest
class ValidatorEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-05-20T22:00:00Z");
    }

    @Inject
    LicenseStore store;

    @Inject
    DynamoDbAsyncClient dynamo;

    private Map<String, AttributeValue> item(String licenseId) {
        return dynamo.getItem(b -> b.tableName(store.table())
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(LicenseTable.licensePk(licenseId))))
                .consistentRead(true)).join().item();
    }

    private List<OutboxEvent> outbox(String licenseId) {
        return EventOutbox.eventsOf(item(licenseId));
    }

    private static List<String> types(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::type).toList();
    }

    private static JsonNode data(OutboxEvent e) throws Exception {
        return JSON.readTree(e.data());
    }

    private static void activate(String key, String fingerprint, int status) {
        given().contentType(ContentType.JSON)
                .body(Map.of("key", key, "fingerprint", fingerprint, "productCode", TestLicenses.PRODUCT))
                .post("/v1/activations").then().statusCode(status);
    }

    private static void heartbeat(String key, String fingerprint, int status) {
        given().header("Authorization", "License " + key).post("/v1/activations/" + fingerprint + "/heartbeat").then()
                .statusCode(status);
    }

    private static String validate(String key, String fingerprint, Map<String, Object> usage) {
        Map<String, Object> body = new HashMap<>();
        body.put("key", key);
        body.put("productCode", TestLicenses.PRODUCT);
        body.put("nonce", UUID.randomUUID().toString());
        if (fingerprint != null) {
            body.put("fingerprint", fingerprint);
        }
        if (usage != null) {
            body.put("usage", usage);
        }
        return given().contentType(ContentType.JSON).body(body).post("/v1/validate").then().statusCode(200)
                .extract().path("code");
    }

    @Test
    void activationAndDeactivationEachWriteTheirEventWithTheChangeAndARefusedOneWritesNone() throws Exception {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 1;
            return t;
        });
        activate(l.keyText(), "host-a", 201);
        activate(l.keyText(), "host-b", 409); // over the limit: no seat, no event
        activate(l.keyText(), "host-a", 200); // already active: a heartbeat, no event
        given().header("Authorization", "License " + l.keyText()).delete("/v1/activations/host-a").then()
                .statusCode(204);

        List<OutboxEvent> events = outbox(l.id());
        assertEquals(List.of(ValidatorEvents.MACHINE_ACTIVATED, ValidatorEvents.MACHINE_DEACTIVATED), types(events));
        for (OutboxEvent e : events) {
            assertEquals("machine", e.subjectType());
            assertEquals(OutboxEvent.machineId(l.id(), "host-a"), e.subjectId());
            assertEquals(l.id(), e.licenseId());
            assertEquals("cust-1", e.customerId());
            assertEquals("host-a", data(e).get("fingerprint").asText());
        }
        assertEquals(TestTime.now().toString(), data(events.get(1)).get("deactivatedAt").asText());
        assertTrue(item(l.id()).containsKey(LicenseTable.OUTBOX_SHARD), "the item is in the pending-events index");
    }

    @Test
    void aLimitExceededIsRecordedOncePerLicensePerUtcDayAlsoUnderConcurrentValidations() throws Exception {
        Issued l = TestLicenses.issue(store);
        Map<String, Object> over = Map.of("gpus", 11);
        List<CompletableFuture<String>> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            burst.add(CompletableFuture.supplyAsync(() -> validate(l.keyText(), null, over)));
        }
        burst.forEach(f -> assertEquals("LIMIT_EXCEEDED", f.join()));
        assertEquals("LIMIT_EXCEEDED", validate(l.keyText(), null, over));
        assertEquals("VALID", validate(l.keyText(), null, Map.of("gpus", 10))); // within the 25 % overage

        List<OutboxEvent> events = outbox(l.id());
        assertEquals(List.of(ValidatorEvents.LICENSE_LIMIT_EXCEEDED), types(events));
        JsonNode data = data(events.get(0));
        assertEquals("gpus", data.get("limit").asText());
        assertEquals(new BigDecimal("10"), new BigDecimal(data.get("allowed").asText()));
        assertEquals("11", data.get("reported").asText());
        assertEquals("2026-05-20", data.get("day").asText());
        assertEquals("license", events.get(0).subjectType());
        assertEquals("cust-1", events.get(0).customerId());

        TestTime.advance(Duration.ofHours(3)); // the next UTC day
        assertEquals("LIMIT_EXCEEDED", validate(l.keyText(), null, over));
        assertEquals("LIMIT_EXCEEDED", validate(l.keyText(), null, over));
        List<OutboxEvent> after = outbox(l.id());
        assertEquals(2, after.size());
        assertEquals("2026-05-21", data(after.get(1)).get("day").asText());
    }

    @Test
    void aMachineOverdueByTheHeartbeatWindowIsReportedOnceWhenItsSeatIsFreed() throws Exception {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 5;
            t.heartbeatHours = 2;
            return t;
        });
        activate(l.keyText(), "host-a", 201);
        Instant aSeen = TestTime.now();
        TestTime.advance(Duration.ofHours(1));
        activate(l.keyText(), "host-b", 201);
        activate(l.keyText(), "host-c", 201);
        TestTime.advance(Duration.ofMinutes(90)); // host-a is 30 minutes overdue, b and c are not
        heartbeat(l.keyText(), "host-b", 200);

        List<OutboxEvent> missed = outbox(l.id()).stream()
                .filter(e -> e.type().equals(ValidatorEvents.MACHINE_HEARTBEAT_MISSED)).toList();
        assertEquals(1, missed.size());
        JsonNode data = data(missed.get(0));
        assertEquals("host-a", data.get("fingerprint").asText());
        assertEquals(aSeen.toString(), data.get("lastSeenAt").asText());
        assertEquals(aSeen.plus(Duration.ofHours(2)).toString(), data.get("overdueSince").asText());
        assertEquals(Map.of("host-b", true, "host-c", true), seats(l.id()));

        // the validation path notices too (host-c is overdue now), once however many validations follow
        TestTime.advance(Duration.ofMinutes(90));
        heartbeat(l.keyText(), "host-b", 200);
        TestTime.advance(Duration.ofMinutes(60));
        assertEquals("VALID", validate(l.keyText(), "host-b", null));
        assertEquals("VALID", validate(l.keyText(), "host-b", null));
        List<String> reported = new ArrayList<>();
        for (OutboxEvent e : outbox(l.id())) {
            if (e.type().equals(ValidatorEvents.MACHINE_HEARTBEAT_MISSED)) {
                reported.add(data(e).get("fingerprint").asText());
            }
        }
        assertEquals(List.of("host-a", "host-c"), reported);
        assertEquals(Map.of("host-b", true), seats(l.id()));
    }

    private Map<String, Boolean> seats(String licenseId) {
        Map<String, Boolean> out = new HashMap<>();
        store.find(licenseId).join().orElseThrow().activations().keySet().forEach(fp -> out.put(fp, true));
        return out;
    }

    @Test
    void plainValidationsWriteNothing() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 2;
            t.heartbeatHours = 24;
            return t;
        });
        activate(l.keyText(), "host-a", 201);
        Map<String, AttributeValue> before = item(l.id());
        for (int i = 0; i < 20; i++) {
            assertEquals("VALID", validate(l.keyText(), "host-a", Map.of("gpus", 8)));
        }
        assertEquals(before, item(l.id()), "no write: the item is unchanged");
        assertNull(item(l.id()).get(LicenseTable.LIMIT_EXCEEDED_DAY));
    }
}
