package org.licensing.store;

import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The single DynamoDB table every service shares. Defined once here: services, the test harness and infra
 * read these names, so a key or index name cannot drift between them.
 *
 * <p>Items are told apart by the prefix of {@link #PK}: {@code LICENSE#<id>} for licenses; other features
 * (reminder bookkeeping, idempotency) use their own prefixes. Only license items carry the GSI keys, so the
 * expiry index holds licenses only; the pending-events index holds only items whose outbox is not empty. The back
 * office's searches (by customer, product, status, expiry...) go to the
 * issuer's PostgreSQL read model, never to DynamoDB.
 */
public final class LicenseTable {

    /** Default table name; services read theirs from config ({@code licensing.table}). */
    public static final String DEFAULT_NAME = "licenses";

    /** Partition key (S). No sort key: every state change is a single-item conditional write. */
    public static final String PK = "pk";

    /** GSI: licenses expiring on one UTC day. Keys: {@link #EXPIRY_DAY} (S, yyyy-MM-dd), {@link #EXPIRES_AT} (N). */
    public static final String BY_EXPIRY_DAY_INDEX = "by-expiry-day";

    public static final String LICENSE_ID = "licenseId";
    public static final String KEY_HASH = "keyHash";
    public static final String CUSTOMER_ID = "customerId";
    public static final String CUSTOMER_NAME = "customerName";
    public static final String PRODUCT_CODE = "productCode";
    public static final String PRODUCT_NAME = "productName";
    public static final String POLICY_ID = "policyId";
    public static final String STATUS = "status";
    public static final String ISSUED_AT = "issuedAt";
    public static final String NOT_BEFORE = "notBefore";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String EXPIRY_DAY = "expiryDay";
    public static final String GRACE_DAYS = "graceDays";
    public static final String MAX_ACTIVATIONS = "maxActivations";
    public static final String HEARTBEAT_HOURS = "heartbeatHours";
    public static final String MAX_DEACTIVATIONS_PER_DAY = "maxDeactivationsPerDay";
    public static final String OVERAGE_PERCENT = "overagePercent";
    public static final String FEATURES = "features";
    public static final String LIMITS = "limits";
    public static final String FINANCE_EMAILS = "financeEmails";
    /** Map fingerprint -> {activatedAt, lastSeenAt} (N, epoch ms). Owned by the validator. */
    public static final String ACTIVATIONS = "activations";
    public static final String ACTIVATED_AT = "activatedAt";
    public static final String LAST_SEEN_AT = "lastSeenAt";
    /** On a checkout's seat in {@link #ACTIVATIONS}: when the checkout ends (N, epoch ms). */
    public static final String CHECKOUT_UNTIL = "checkoutUntil";
    /** Map fingerprint -> the latest checkout of it ({@link Checkout}). Owned by the issuer. */
    public static final String CHECKOUTS = "checkouts";
    /** The latest checkout's sequence number (N); strictly increasing, written with a condition on the last one. */
    public static final String CHECKOUT_SEQUENCE = "checkoutSeq";
    public static final String CHECKOUT_ID = "checkoutId";
    public static final String SEQUENCE = "seq";
    public static final String UNTIL = "until";
    public static final String RETURNED_AT = "returnedAt";
    public static final String LABEL = "label";
    public static final String DEACTIVATION_DAY = "deactivationDay";
    public static final String DEACTIVATIONS_ON_DAY = "deactivationsOnDay";
    /** Optimistic lock over the issuer-owned fields (N). */
    public static final String VERSION = "version";
    public static final String UPDATED_AT = "updatedAt";
    /**
     * The item's event outbox (L of M, oldest first): events written by the same conditional write as the change they
     * report, until the issuer's import copies them into its feed and removes them ({@link EventOutbox}). Any item
     * kind may carry one (license items, the notification service's ledger items).
     */
    public static final String OUTBOX = "outbox";
    /** GSI key, present only while {@link #OUTBOX} holds events: which {@link #BY_PENDING_EVENTS_INDEX} partition. */
    public static final String OUTBOX_SHARD = "outboxShard";
    /** GSI sort key (N, epoch ms): when the oldest pending event was written (a lower bound once import began). */
    public static final String OUTBOX_SINCE = "outboxSince";
    /** Events not written because the outbox was full (N): the change happened, its event was dropped. */
    public static final String OUTBOX_DROPPED = "outboxDropped";
    /** The validator's: the UTC day of the license's last {@code license.limit-exceeded} event (S). */
    public static final String LIMIT_EXCEEDED_DAY = "limitExceededDay";

    /**
     * Sparse GSI of the items with pending events (only they carry {@link #OUTBOX_SHARD}): the issuer's import reads
     * its few partitions, oldest first, never scanning the table. Keys: {@link #OUTBOX_SHARD} (S),
     * {@link #OUTBOX_SINCE} (N).
     */
    public static final String BY_PENDING_EVENTS_INDEX = "by-pending-events";

    /** Epoch seconds; infra may enable TTL on it for non-license items (the application never relies on it). */
    public static final String TTL = "ttl";

    public static final String LICENSE_PREFIX = "LICENSE#";

    private LicenseTable() {
    }

    public static String licensePk(String licenseId) {
        return LICENSE_PREFIX + licenseId;
    }

    /** The table as infra creates it; the test harness and the local runner create it with this request. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(PK, ScalarAttributeType.S),
                        attribute(EXPIRY_DAY, ScalarAttributeType.S),
                        attribute(EXPIRES_AT, ScalarAttributeType.N),
                        attribute(OUTBOX_SHARD, ScalarAttributeType.S),
                        attribute(OUTBOX_SINCE, ScalarAttributeType.N))
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(List.of(index(BY_EXPIRY_DAY_INDEX, EXPIRY_DAY, EXPIRES_AT),
                        index(BY_PENDING_EVENTS_INDEX, OUTBOX_SHARD, OUTBOX_SINCE)))
                .build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static GlobalSecondaryIndex index(String name, String hashKey, String rangeKey) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(
                        KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }
}
