package org.licensing.issuer.restart;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;
import org.licensing.issuer.idempotency.IdempotencyRecord;
import org.licensing.issuer.idempotency.IdempotencyStore;
import org.licensing.store.LicenseTable;
import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;
import org.licensing.testsupport.process.PackagedService;

import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 11's crash test, on the packaged issuer over the harness back ends: four clients issue licenses with
 * Idempotency-Keys, the issuer is SIGKILLed mid-stream while a request is in flight (its idempotency record
 * IN_PROGRESS) and restarted with the same configuration (a fixed idempotency secret and signing key), every client
 * retries what went unanswered and the key in flight replays its stored plan. Then every key has exactly one
 * license and its key, no license exists that no key received, the search finds exactly those, and no audit event
 * is left PENDING once the reconciler ran. Last, a restart with another idempotency secret: the old keys get the
 * 422 that tells the client to use a new key (logged once per key), never a 500 loop.
 */
class IssuerRestartIT {

    private static final int CLIENTS = 4;
    private static final int KEYS_PER_CLIENT = 12;
    /** Killed once this many answers arrived: well inside the stream of CLIENTS * KEYS_PER_CLIENT. */
    private static final int KILL_AFTER_ANSWERS = 14;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final String KID = "restart-it-1";
    private static final String ADMIN_SUBJECT = "restart-it@vendor.example";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalBackends backends;
    private static DynamoDbClient dynamo;
    private static Path work;
    private static Map<String, String> env;
    private static PackagedService issuer;
    private static String admin;

    @BeforeAll
    static void configure() throws IOException {
        backends = LocalBackends.shared();
        work = Path.of("target", "restart-it").toAbsolutePath();
        Path keys = work.resolve("signing-keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve(KID + ".pem"), SigningKeys.generate(KID).privatePem(KID));

        env = new HashMap<>();
        env.putAll(PackagedService.envOf(backends.start(Backend.parse("dynamodb,postgres"))));
        dynamo = backends.dynamoDbClient();
        env.put("MP_JWT_VERIFY_PUBLICKEY", TestTokens.shared().publicKeyPem());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE);
        env.put("LICENSING_IDEMPOTENCY_SECRET", randomSecret());
        env.put("LICENSING_SIGNING_ACTIVE_KID", KID);
        env.put("LICENSING_SIGNING_KEY_DIRECTORY", keys.toString());
        // The reconciler runs only when this test asks (POST /v1/admin/reconcile?olderThan=PT0S), once no change is
        // in flight, and then takes every PENDING event, however young: the kill happened seconds before.
        env.put("LICENSING_READ_MODEL_RECONCILE_EVERY", "off");
        admin = TestTokens.shared().builder().subject(ADMIN_SUBJECT)
                .roles("licenses:read", "licenses:write", "catalog:admin").lifetime(Duration.ofHours(2)).sign();
    }

    @AfterAll
    static void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void aSigkillMidStreamLosesNoAnswerAndMakesNoUnclaimedLicense() throws Exception {
        issuer = PackagedService.of("license-issuer", env, work).start(START_TIMEOUT);
        String jwksBefore = send("GET", "/.well-known/jwks.json", null, null).body();
        String customerId = create("/v1/customers", Map.of("name", "Restart Co " + System.nanoTime()), "id");
        String productCode = "restart-" + Long.toString(System.nanoTime(), 36);
        create("/v1/products", Map.of("code", productCode, "name", "Restart product"), "code");
        String policyId = create("/v1/policies", Map.of("productCode", productCode, "name", "Annual",
                "durationDays", 365), "id");
        String body = "{\"customerId\":\"" + customerId + "\",\"policyId\":\"" + policyId + "\"}";

        // Four clients, each its own keys in order; a connection error (the kill) has the client retry that same
        // key until the issuer is back on its port: the retry of an unanswered request.
        Map<String, JsonPath> answers = new ConcurrentHashMap<>();
        Set<String> retriedKeys = ConcurrentHashMap.newKeySet();
        Set<String> replayedKeys = ConcurrentHashMap.newKeySet();
        Map<Integer, String> sending = new ConcurrentHashMap<>();
        URI url = issuer.url();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int k = 0; k < KEYS_PER_CLIENT; k++) {
                    String key = "restart-it-" + client + "-" + k + "-" + customerId;
                    sending.put(client, key);
                    while (true) {
                        try {
                            HttpResponse<String> r = HTTP.send(issue(url, key, body),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 201) {
                                throw new AssertionError("key " + key + " got " + r.statusCode() + ": " + r.body());
                            }
                            if (r.headers().firstValue("Idempotent-Replayed").isPresent()) {
                                replayedKeys.add(key);
                            }
                            answers.put(key, JsonPath.from(r.body()));
                            break;
                        } catch (IOException killed) {
                            retriedKeys.add(key);
                            pause(200); // the issuer is down: try the same key again soon
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }
                }
                sending.remove(client);
            }, pool));
        }
        // The kill must hit work in flight: a key whose record is IN_PROGRESS (its plan stored, its writes not all
        // done). Watch the keys being sent and kill when one is; a request that finished between the look and the
        // kill leaves nothing in flight, and then the issuer is restarted and killed again.
        Set<String> inFlight = Set.of();
        int pendingAtKill = 0;
        int answeredBeforeKill = 0;
        for (int kill = 1; kill <= 3 && inFlight.isEmpty(); kill++) {
            int target = KILL_AFTER_ANSWERS * kill;
            awaitTrue(() -> answers.size() >= target, "the clients never got " + target + " answers; issuer log "
                    + issuer.log());
            awaitTrue(() -> !inProgress(sending.values()).isEmpty(), "no request was ever seen in flight");
            issuer.kill();
            answeredBeforeKill = answers.size();
            inFlight = inProgress(sending.values());
            pendingAtKill = pendingAuditEvents();
            System.out.printf("restart IT: kill %d after %d answers: %d keys IN_PROGRESS, %d audit events PENDING%n",
                    kill, answeredBeforeKill, inFlight.size(), pendingAtKill);
            issuer.start(START_TIMEOUT);
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        pool.shutdown();
        System.out.printf("restart IT: %d answers before the SIGKILL, %d keys retried after it, %d of them replayed"
                + " (%s in flight), %d keys%n", answeredBeforeKill, retriedKeys.size(), replayedKeys.size(),
                inFlight.size(), answers.size());
        assertTrue(answeredBeforeKill < CLIENTS * KEYS_PER_CLIENT, "the kill came after the stream");
        assertFalse(inFlight.isEmpty(), "no kill hit a request in flight (an IN_PROGRESS record)");
        assertTrue(retriedKeys.containsAll(inFlight), "keys in flight at the kill " + inFlight + ", retried "
                + retriedKeys);
        // A key in flight had its plan stored: the retry finished that very plan and says it replayed it.
        assertTrue(replayedKeys.containsAll(inFlight), "keys in flight at the kill " + inFlight + ", replayed "
                + replayedKeys);

        // Every key: one license, its key; no two keys share a license.
        assertEquals(CLIENTS * KEYS_PER_CLIENT, answers.size());
        Map<String, String> keyByLicense = new HashMap<>();
        for (Map.Entry<String, JsonPath> a : answers.entrySet()) {
            String licenseId = a.getValue().getString("licenseId");
            String licenseKey = a.getValue().getString("licenseKey");
            assertNotNull(licenseKey, "key " + a.getKey() + " got no license key");
            assertEquals(licenseId, LicenseKey.parse(licenseKey).licenseId().toString());
            assertNull(keyByLicense.put(licenseId, licenseKey), "two keys got license " + licenseId);
        }
        // The restarted issuer reads its own stored answers: each key replays the same license and key.
        for (Map.Entry<String, JsonPath> a : answers.entrySet()) {
            HttpResponse<String> replay = HTTP.send(issue(issuer.url(), a.getKey(), body),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, replay.statusCode(), replay.body());
            assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
            assertEquals(a.getValue().getString("licenseKey"), JsonPath.from(replay.body()).getString("licenseKey"));
        }

        // DynamoDB holds exactly the answered licenses, each with the hash of the key its client got.
        Map<String, String> stored = storedKeyHashes(customerId);
        assertEquals(keyByLicense.keySet(), stored.keySet(), "licenses in DynamoDB vs licenses answered");
        keyByLicense.forEach((id, key) -> assertEquals(LicenseKey.parse(key).secretHash(), stored.get(id), id));

        // The search (over the read model) counts the same licenses.
        assertEquals(keyByLicense.keySet(), searchAll(customerId));

        // The reconciler completes whatever the kill left PENDING; then none is left, anywhere.
        HttpResponse<String> reconcile = send("POST", "/v1/admin/reconcile?olderThan=PT0S", admin, null);
        assertEquals(200, reconcile.statusCode(), reconcile.body());
        assertEquals(0, pendingAuditEvents(), "audit events left PENDING after the reconciler ran");
        for (String id : keyByLicense.keySet()) {
            HttpResponse<String> events = send("GET", "/v1/audit-events?licenseId=" + id, admin, null);
            assertEquals(200, events.statusCode(), events.body());
            assertEquals(List.of("COMMITTED"), JsonPath.from(events.body()).getList("outcome"), id);
        }
        // and every answered license is in the event feed exactly once, none that no key received (the outbox is
        // written with the COMMITTED event: by the request's commit, or by the reconciler after the kill)
        assertEquals(keyByLicense.keySet(), issuedEvents(customerId));

        // Same signing key after the restart: files signed before it still verify against the published keys.
        assertEquals(jwksBefore, send("GET", "/.well-known/jwks.json", null, null).body());
        assertFalse(Files.readString(issuer.log()).contains("EPHEMERAL"), issuer.log() + ": an ephemeral secret");

        // A restart with another idempotency secret (rotated, or regenerated by a local run): the stored answers
        // cannot be read; each of their keys gets 422 idempotent-answer-unreadable, logged once per key.
        issuer.close();
        Map<String, String> rotated = new HashMap<>(env);
        rotated.put("LICENSING_IDEMPOTENCY_SECRET", randomSecret());
        issuer = PackagedService.of("license-issuer", rotated, work).start(START_TIMEOUT);
        List<String> keys = answers.keySet().stream().sorted().limit(2).toList();
        for (String key : keys) {
            for (int retry = 0; retry < 3; retry++) {
                HttpResponse<String> r = HTTP.send(issue(issuer.url(), key, body),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(422, r.statusCode(), r.body());
                assertEquals("https://licensing.dev/problems/idempotent-answer-unreadable",
                        JsonPath.from(r.body()).getString("type"));
            }
        }
        long warnings = issuer.output().lines().filter(l -> l.contains("cannot be decrypted")).count();
        assertEquals(keys.size(), warnings, "one warning per key:\n" + issuer.output());
        HttpResponse<String> fresh = HTTP.send(issue(issuer.url(), "restart-it-new-" + customerId, body),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, fresh.statusCode(), fresh.body());
    }

    private static HttpRequest issue(URI url, String key, String body) {
        return HttpRequest.newBuilder(url.resolve("/v1/licenses")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .header("Accept", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(issuer.url().resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String create(String path, Map<String, Object> fields, String idField) throws Exception {
        HttpResponse<String> r = send("POST", path, admin, new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(fields));
        assertEquals(201, r.statusCode(), path + ": " + r.body());
        return JsonPath.from(r.body()).getString(idField);
    }

    /** Every license id of the customer the search answers, page by page. */
    private static Set<String> searchAll(String customerId) throws Exception {
        Set<String> ids = new HashSet<>();
        int rows = 0;
        String cursor = null;
        do {
            String path = "/v1/licenses?customerId=" + customerId + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor,
                            java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> page = send("GET", path, admin, null);
            assertEquals(200, page.statusCode(), page.body());
            JsonPath json = JsonPath.from(page.body());
            List<String> items = json.getList("items.licenseId");
            rows += items.size();
            ids.addAll(items);
            cursor = json.getString("nextCursor");
        } while (cursor != null);
        assertEquals(ids.size(), rows, "the search repeated a license");
        return ids;
    }

    /** The license ids of the customer's license.issued events, following the feed's cursor; each once. */
    private static Set<String> issuedEvents(String customerId) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        String cursor = "";
        while (true) {
            HttpResponse<String> page = send("GET", "/v1/events?type=license.issued&limit=100&customerId="
                    + customerId + cursor, admin, null);
            assertEquals(200, page.statusCode(), page.body());
            JsonPath json = JsonPath.from(page.body());
            List<String> items = json.getList("items.licenseId");
            ids.addAll(items);
            if (items.size() < 100) {
                break;
            }
            cursor = "&cursor=" + json.getString("nextCursor");
        }
        assertEquals(new HashSet<>(ids).size(), ids.size(), "a license.issued event twice: " + ids);
        return new HashSet<>(ids);
    }

    /** licenseId -> keyHash of the customer's license items (a scan: fine for a test, never in the service). */
    private static Map<String, String> storedKeyHashes(String customerId) {
        Map<String, String> found = new HashMap<>();
        dynamo.scanPaginator(b -> b.tableName(LicenseTable.DEFAULT_NAME).consistentRead(true)
                .filterExpression("#c = :c AND attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#c", LicenseTable.CUSTOMER_ID, "#id", LicenseTable.LICENSE_ID))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(customerId))))
                .items().forEach(item -> found.put(item.get(LicenseTable.LICENSE_ID).s(),
                        item.get(LicenseTable.KEY_HASH).s()));
        return found;
    }

    private static int pendingAuditEvents() throws Exception {
        try (Connection db = DriverManager.getConnection(backends.jdbcUrl(), LocalBackends.DB_USER,
                LocalBackends.DB_PASSWORD);
                Statement q = db.createStatement();
                ResultSet rs = q.executeQuery("SELECT count(*) FROM audit_events WHERE outcome = 'PENDING'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The keys among {@code keys} whose idempotency record is IN_PROGRESS, read from the table. */
    private static Set<String> inProgress(Collection<String> keys) {
        Set<String> found = new HashSet<>();
        for (String key : List.copyOf(keys)) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(LicenseTable.DEFAULT_NAME)
                    .consistentRead(true).key(Map.of(LicenseTable.PK, AttributeValue.fromS(
                            IdempotencyStore.pk(ADMIN_SUBJECT, key))))).item();
            AttributeValue state = item == null ? null : item.get("state");
            if (state != null && IdempotencyRecord.State.IN_PROGRESS.name().equals(state.s())) {
                found.add(key);
            }
        }
        return found;
    }

    private static void awaitTrue(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            pause(20);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // polling, not a timed assertion
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

}
