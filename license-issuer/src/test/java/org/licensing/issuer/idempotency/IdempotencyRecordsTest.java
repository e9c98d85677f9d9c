package org.licensing.issuer.idempotency;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.licensing.core.problem.ProblemType;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.support.Api;
import org.licensing.store.LicenseTable;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.ServiceTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stored side of the Idempotency-Key protocol against the real table: answers sealed under another secret,
 * the lease (409 while held, takeover once it ran out) and what the stored item holds.
 */
@ServiceTest
class IdempotencyRecordsTest {

    private static final String ADMIN = "admin@vendor.example";
    private static final String UNREADABLE_TYPE = "https://licensing.dev/problems/idempotent-answer-unreadable";

    @Inject
    Idempotency idempotency;
    @Inject
    IdempotencyStore store;
    @Inject
    AnswerCipher cipher;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @Inject
    IssuerConfig config;

    private final DynamoDbClient dynamo = LocalBackends.shared().dynamoDbClient();

    @Test
    void anAnswerSealedUnderAnotherSecretIs422ForEveryRetryLoggedOnceAndANewKeyWorks() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("name", unique("Rotated"));
        as(admin()).header("Idempotency-Key", key).body(body).post("/v1/customers").then().statusCode(201);

        // The record as an issuer with another secret would have written it (e.g. before a restart that
        // regenerated the secret): the same answer, sealed by the same class under another secret.
        String pk = IdempotencyStore.pk(ADMIN, key);
        byte[] answer = cipher.decrypt(pk, key, item(pk).get(IdempotencyStore.PAYLOAD).b().asByteArray());
        reseal(pk, AnswerCipher.withSecret(otherSecret()).encrypt(pk, key, answer));

        try (LogCapture log = LogCapture.of(Idempotency.class)) {
            for (int retry = 0; retry < 3; retry++) {
                as(admin()).header("Idempotency-Key", key).body(body).post("/v1/customers").then()
                        .statusCode(422).contentType("application/problem+json")
                        .body("type", is(UNREADABLE_TYPE))
                        .body("title", is(ProblemType.IDEMPOTENT_ANSWER_UNREADABLE.title()))
                        .body("detail", containsString("Retry with a new Idempotency-Key"));
            }
            assertEquals(1, log.warningsContaining(pk), "one warning per key, not per retry: " + log.all());
        }
        Map<String, AttributeValue> marked = item(pk);
        assertEquals("UNREADABLE", marked.get(IdempotencyStore.STATE).s());
        assertNull(marked.get(IdempotencyStore.PAYLOAD), "the unreadable payload is dropped");

        as(admin()).header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/v1/customers")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue());
    }

    @Test
    void anUnfinishedPlanSealedUnderAnotherSecretIs422AndIsNeverExecuted() {
        String actor = "rotated-plan@vendor.example";
        String key = UUID.randomUUID().toString();
        Idempotency before = new Idempotency(store, AnswerCipher.withSecret(otherSecret()), json, clock, config);
        // The issuer with the old secret stored its plan, then "died" before finishing it.
        assertThrows(IllegalStateException.class, () -> before.runPlanned(actor, key, "fp",
                () -> Uni.createFrom().item("plan".getBytes(StandardCharsets.UTF_8)),
                plan -> Uni.createFrom().failure(new IllegalStateException("crash"))).await().indefinitely());

        AtomicInteger executions = new AtomicInteger();
        for (int retry = 0; retry < 2; retry++) {
            HttpProblem problem = assertThrows(HttpProblem.class, () -> idempotency.runPlanned(actor, key, "fp",
                    () -> Uni.createFrom().failure(new AssertionError("must not plan again")),
                    plan -> {
                        executions.incrementAndGet();
                        return Uni.createFrom().failure(new AssertionError("must not run"));
                    }).await().indefinitely());
            assertEquals(422, problem.getStatusCode());
            assertEquals(ProblemType.IDEMPOTENT_ANSWER_UNREADABLE.uri(), problem.getType());
        }
        assertEquals(0, executions.get());
    }

    @Test
    void aSecondRequestWhileTheFirstRunsIs409AndGetsTheAnswerOnceItIsDone() throws Exception {
        String actor = "in-progress@vendor.example";
        String key = UUID.randomUUID().toString();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<StoredAnswer> gate = new CompletableFuture<>();
        CompletableFuture<Idempotency.Result> first = idempotency.run(actor, key, "fp", () -> {
            running.countDown();
            return Uni.createFrom().completionStage(gate);
        }).subscribeAsCompletionStage();
        assertTrue(running.await(30, TimeUnit.SECONDS), "the first request never started");

        HttpProblem problem = assertThrows(HttpProblem.class, () -> idempotency.run(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError("must not run twice"))).await().indefinitely());
        assertEquals(409, problem.getStatusCode());
        assertEquals(ProblemType.IDEMPOTENCY_REQUEST_IN_PROGRESS.uri(), problem.getType());

        StoredAnswer answer = new StoredAnswer(201, "{\"n\":1}", "/v1/things/1");
        gate.complete(answer);
        assertEquals(answer, first.get(30, TimeUnit.SECONDS).answer());
        Idempotency.Result replay = idempotency.run(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError("already answered"))).await().indefinitely();
        assertTrue(replay.replayed());
        assertEquals(answer, replay.answer());
    }

    @Test
    void aRetryTakesTheLeaseOverOnceItRanOutNotBefore() throws Exception {
        String actor = "takeover@vendor.example";
        String key = UUID.randomUUID().toString();
        Duration lease = config.idempotency().lease();
        // The first request takes the lease and never finishes (its process died).
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Idempotency.Result> abandoned = idempotency.run(actor, key, "fp", () -> {
            running.countDown();
            return Uni.createFrom().<StoredAnswer>nothing();
        }).subscribeAsCompletionStage();
        assertTrue(running.await(30, TimeUnit.SECONDS), "the first request never started");

        // Retries seen from later instants, through the same store: within the lease, then after it.
        Idempotency withinLease = new Idempotency(store, cipher, json,
                Clock.offset(clock, lease.minusSeconds(5)), config);
        HttpProblem problem = assertThrows(HttpProblem.class, () -> withinLease.run(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError("the lease still holds"))).await().indefinitely());
        assertEquals(ProblemType.IDEMPOTENCY_REQUEST_IN_PROGRESS.uri(), problem.getType());

        Idempotency afterLease = new Idempotency(store, cipher, json, Clock.offset(clock, lease.plusSeconds(1)),
                config);
        AtomicInteger executions = new AtomicInteger();
        StoredAnswer answer = new StoredAnswer(200, "{\"takenOver\":true}", null);
        Idempotency.Result taken = afterLease.run(actor, key, "fp", () -> {
            executions.incrementAndGet();
            return Uni.createFrom().item(answer);
        }).await().indefinitely();
        assertFalse(taken.replayed());
        assertEquals(answer, taken.answer());
        assertEquals(1, executions.get());

        Idempotency.Result replay = idempotency.run(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError("already answered"))).await().indefinitely();
        assertTrue(replay.replayed());
        assertEquals(answer, replay.answer());
        abandoned.cancel(true);
    }

    @Test
    void theStoredIssueAnswerNeverHoldsTheLicenseKeyInClear() {
        Api.Fixture f = Api.fixture();
        String key = UUID.randomUUID().toString();
        Response issued = as(admin()).header("Idempotency-Key", key)
                .body(Map.of("customerId", f.customerId(), "policyId", f.policyId())).post("/v1/licenses");
        issued.then().statusCode(201);
        String licenseKey = issued.jsonPath().getString("licenseKey");
        String secretPart = licenseKey.substring(20);

        String pk = IdempotencyStore.pk(ADMIN, key);
        Map<String, AttributeValue> item = item(pk);
        assertEquals("COMPLETED", item.get(IdempotencyStore.STATE).s());
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            AttributeValue v = attribute.getValue();
            String text = v.b() != null ? new String(v.b().asByteArray(), StandardCharsets.ISO_8859_1)
                    : String.valueOf(v.s()) + v.n();
            assertFalse(text.contains(licenseKey) || text.contains(secretPart),
                    "attribute " + attribute.getKey() + " holds the license key");
        }
        assertFalse(item.toString().contains(secretPart));
        assertFalse(item.toString().contains(key), "nor the Idempotency-Key that opens it");
        // Not vacuous: the payload is the answer with the key, readable with the server secret and the client's key.
        byte[] payload = item.get(IdempotencyStore.PAYLOAD).b().asByteArray();
        assertTrue(new String(cipher.decrypt(pk, key, payload), StandardCharsets.UTF_8).contains(licenseKey));
        assertThrows(UnreadableAnswerException.class, () -> cipher.decrypt(pk, "another-key", payload));
    }

    private Map<String, AttributeValue> item(String pk) {
        return dynamo.getItem(b -> b.tableName(LicenseTable.DEFAULT_NAME).consistentRead(true)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk)))).item();
    }

    private void reseal(String pk, byte[] payload) {
        dynamo.updateItem(b -> b.tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk)))
                .updateExpression("SET #p = :p")
                .expressionAttributeNames(Map.of("#p", IdempotencyStore.PAYLOAD))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromB(SdkBytes.fromByteArray(payload)))));
    }

    private static byte[] otherSecret() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        return secret;
    }

    /** Records what one logger writes while open (the service runs in this JVM under JBoss LogManager). */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final java.util.logging.Logger logger;
        private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

        private LogCapture(java.util.logging.Logger logger) {
            this.logger = logger;
        }

        static LogCapture of(Class<?> type) {
            LogCapture capture = new LogCapture(java.util.logging.Logger.getLogger(type.getName()));
            capture.logger.addHandler(capture);
            return capture;
        }

        long warningsContaining(String text) {
            synchronized (records) {
                return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                        .filter(r -> message(r).contains(text)).count();
            }
        }

        String all() {
            synchronized (records) {
                return records.stream().map(LogCapture::message).toList().toString();
            }
        }

        private static String message(LogRecord r) {
            return r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : String.valueOf(r.getMessage());
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
