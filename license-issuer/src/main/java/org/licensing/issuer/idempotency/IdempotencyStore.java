package org.licensing.issuer.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.store.LicenseTable;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.support.async.Async;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records in the licenses table under their own key prefix ({@code IDEMPOTENCY#}); they carry no
 * GSI attributes, so the license indexes never see them. Single-item conditional writes only.
 */
@ApplicationScoped
public class IdempotencyStore {

    public static final String PREFIX = "IDEMPOTENCY#";
    static final String FINGERPRINT = "fingerprint";
    static final String STATE = "state";
    static final String PAYLOAD = "payload";
    static final String LOCKED_UNTIL = "lockedUntil";

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    public IdempotencyStore(DynamoDbAsyncClient dynamo, IssuerConfig config) {
        this.dynamo = dynamo;
        this.table = config.table();
    }

    /** The item key: a hash, so neither the actor nor the client's key value is stored in clear. */
    public static String pk(String actor, String idempotencyKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(actor.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<Optional<IdempotencyRecord>> find(String pk, Instant now) {
        return Async.of(() -> dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)))
                .map(r -> {
                    if (!r.hasItem() || r.item().isEmpty()) {
                        return Optional.<IdempotencyRecord>empty();
                    }
                    IdempotencyRecord rec = fromItem(r.item());
                    return rec.ttlEpochSeconds() < now.getEpochSecond() ? Optional.<IdempotencyRecord>empty()
                            : Optional.of(rec);
                });
    }

    /** Creates the record unless a live one exists; false when another request got there first. */
    public Uni<Boolean> tryCreate(IdempotencyRecord rec, Instant now) {
        Map<String, AttributeValue> item = toItem(rec);
        return Async.of(() -> dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #ttl < :now")
                .expressionAttributeNames(Map.of("#pk", LicenseTable.PK, "#ttl", LicenseTable.TTL))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))))
                .replaceWith(true)
                .onFailure(ConditionalCheckFailedException.class).recoverWithItem(false);
    }

    /** Takes over an unfinished request whose lease ran out; false when someone else holds it. */
    public Uni<Boolean> takeOver(String pk, Instant now, long lockedUntilMillis) {
        return Async.of(() -> dynamo.updateItem(b -> b.tableName(table).key(key(pk))
                .updateExpression("SET #lock = :until")
                .conditionExpression("#state = :inProgress AND #lock < :now")
                .expressionAttributeNames(Map.of("#lock", LOCKED_UNTIL, "#state", STATE))
                .expressionAttributeValues(Map.of(
                        ":until", AttributeValue.fromN(Long.toString(lockedUntilMillis)),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                        ":inProgress", AttributeValue.fromS(IdempotencyRecord.State.IN_PROGRESS.name())))))
                .replaceWith(true)
                .onFailure(ConditionalCheckFailedException.class).recoverWithItem(false);
    }

    public Uni<Void> complete(String pk, byte[] answer) {
        return Async.of(() -> dynamo.updateItem(b -> b.tableName(table).key(key(pk))
                .updateExpression("SET #state = :done, #payload = :payload REMOVE #lock")
                .expressionAttributeNames(Map.of("#state", STATE, "#payload", PAYLOAD, "#lock", LOCKED_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":done", AttributeValue.fromS(IdempotencyRecord.State.COMPLETED.name()),
                        ":payload", AttributeValue.fromB(SdkBytes.fromByteArray(answer))))))
                .replaceWithVoid();
    }

    /**
     * Marks a record whose payload the current secret cannot open, and drops that payload: retries of its key are
     * then refused without another decryption attempt. True only for the one call that made the change, so the
     * operator is told once per key, whatever the number of retries or replicas.
     */
    public Uni<Boolean> markUnreadable(String pk) {
        return Async.of(() -> dynamo.updateItem(b -> b.tableName(table).key(key(pk))
                .updateExpression("SET #state = :unreadable REMOVE #payload, #lock")
                .conditionExpression("attribute_exists(#pk) AND #state <> :unreadable")
                .expressionAttributeNames(Map.of("#pk", LicenseTable.PK, "#state", STATE, "#payload", PAYLOAD,
                        "#lock", LOCKED_UNTIL))
                .expressionAttributeValues(Map.of(":unreadable",
                        AttributeValue.fromS(IdempotencyRecord.State.UNREADABLE.name())))))
                .replaceWith(true)
                .onFailure(ConditionalCheckFailedException.class).recoverWithItem(false);
    }

    /** Forgets an unfinished request that failed, so a retry runs it again. */
    public Uni<Void> release(String pk) {
        return Async.of(() -> dynamo.deleteItem(b -> b.tableName(table).key(key(pk))
                .conditionExpression("#state = :inProgress")
                .expressionAttributeNames(Map.of("#state", STATE))
                .expressionAttributeValues(Map.of(":inProgress",
                        AttributeValue.fromS(IdempotencyRecord.State.IN_PROGRESS.name())))))
                .replaceWithVoid()
                .onFailure(ConditionalCheckFailedException.class).recoverWithNull();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(LicenseTable.PK, AttributeValue.fromS(pk));
    }

    private static Map<String, AttributeValue> toItem(IdempotencyRecord rec) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LicenseTable.PK, AttributeValue.fromS(rec.pk()));
        item.put(FINGERPRINT, AttributeValue.fromS(rec.fingerprint()));
        item.put(STATE, AttributeValue.fromS(rec.state().name()));
        if (rec.payload() != null) {
            item.put(PAYLOAD, AttributeValue.fromB(SdkBytes.fromByteArray(rec.payload())));
        }
        item.put(LOCKED_UNTIL, AttributeValue.fromN(Long.toString(rec.lockedUntilMillis())));
        item.put(LicenseTable.TTL, AttributeValue.fromN(Long.toString(rec.ttlEpochSeconds())));
        return item;
    }

    private static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        AttributeValue payload = item.get(PAYLOAD);
        AttributeValue lock = item.get(LOCKED_UNTIL);
        return new IdempotencyRecord(
                item.get(LicenseTable.PK).s(),
                item.get(FINGERPRINT).s(),
                IdempotencyRecord.State.valueOf(item.get(STATE).s()),
                payload == null ? null : payload.b().asByteArray(),
                lock == null ? 0 : Long.parseLong(lock.n()),
                Long.parseLong(item.get(LicenseTable.TTL).n()));
    }
}
