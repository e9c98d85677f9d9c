package org.licensing.store;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * License records in DynamoDB: single-item conditional writes only (no transactions, which the local emulator
 * lacks and which the access patterns do not need). Non-blocking: every call returns a future, so Quarkus
 * services can compose it on the event loop.
 */
public class LicenseStore {

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    public LicenseStore(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** Writes a new license; fails with {@link LicenseAlreadyExistsException} if the id is taken. */
    public CompletableFuture<Void> create(LicenseRecord license) {
        PutItemRequest put = PutItemRequest.builder()
                .tableName(table)
                .item(LicenseItems.toItem(license))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LicenseTable.PK))
                .build();
        return dynamo.putItem(put).handle((ok, error) -> {
            if (error == null) {
                return null;
            }
            if (unwrap(error) instanceof ConditionalCheckFailedException) {
                throw new LicenseAlreadyExistsException(license.licenseId());
            }
            throw asCompletion(error);
        });
    }

    /** Strongly consistent read by id. */
    public CompletableFuture<Optional<LicenseRecord>> find(String licenseId) {
        GetItemRequest get = GetItemRequest.builder()
                .tableName(table)
                .key(Map.of(LicenseTable.PK, s(LicenseTable.licensePk(licenseId))))
                .consistentRead(true)
                .build();
        return dynamo.getItem(get).thenApply(r -> r.hasItem() && !r.item().isEmpty()
                ? Optional.of(LicenseItems.fromItem(r.item()))
                : Optional.empty());
    }

    /**
     * Writes the issuer-owned attributes of {@code changed} if the stored version is still
     * {@code changed.version() - 1}; otherwise fails with {@link StaleVersionException}. Activation bookkeeping
     * is left as it is.
     */
    public CompletableFuture<Void> update(LicenseRecord changed) {
        long expected = changed.version() - 1;
        Map<String, AttributeValue> attributes = LicenseItems.issuerOwnedAttributes(changed);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
            names.put("#a" + i, e.getKey());
            values.put(":a" + i, e.getValue());
            sets.add("#a" + i + " = :a" + i);
            i++;
        }
        names.put("#pk", LicenseTable.PK);
        names.put("#expected", LicenseTable.VERSION);
        values.put(":expected", n(expected));
        UpdateItemRequest update = UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(LicenseTable.PK, s(LicenseTable.licensePk(changed.licenseId()))))
                .updateExpression("SET " + String.join(", ", sets))
                .conditionExpression("attribute_exists(#pk) AND #expected = :expected")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
        return dynamo.updateItem(update).handle((ok, error) -> {
            if (error == null) {
                return null;
            }
            if (unwrap(error) instanceof ConditionalCheckFailedException) {
                throw new StaleVersionException(changed.licenseId(), expected);
            }
            throw asCompletion(error);
        });
    }

    /**
     * One page of a Scan over the license items (other item kinds are filtered out), for rebuilding a read model: the
     * only scan of the table, an operator's command, never a request path. {@code afterPk} is the
     * {@link LicensePage#nextCursor()} of the previous page: here the plain {@code pk} the Scan stopped at, which a
     * caller may persist to resume later; null on the last page. A page may hold fewer than {@code limit} licenses
     * (the filter applies after the read) even when more follow.
     */
    public CompletableFuture<LicensePage> scanLicenses(int limit, String afterPk) {
        ScanRequest.Builder scan = ScanRequest.builder()
                .tableName(table)
                .filterExpression("begins_with(#pk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LicenseTable.PK))
                .expressionAttributeValues(Map.of(":prefix", s(LicenseTable.LICENSE_PREFIX)))
                .consistentRead(true)
                .limit(limit);
        if (afterPk != null) {
            scan.exclusiveStartKey(Map.of(LicenseTable.PK, s(afterPk)));
        }
        return dynamo.scan(scan.build()).thenApply(r -> {
            List<LicenseRecord> licenses = r.items().stream().map(LicenseItems::fromItem).toList();
            String next = r.hasLastEvaluatedKey() && r.lastEvaluatedKey().containsKey(LicenseTable.PK)
                    ? r.lastEvaluatedKey().get(LicenseTable.PK).s() : null;
            return new LicensePage(licenses, next, r.scannedCount() == null ? licenses.size() : r.scannedCount());
        });
    }

    /** One page of the licenses expiring on a UTC day: reads only that day's index partition. */
    public CompletableFuture<LicensePage> pageByExpiryDay(LocalDate day, int limit, String cursor) {
        String dayKey = day.toString();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .indexName(LicenseTable.BY_EXPIRY_DAY_INDEX)
                .keyConditionExpression("#d = :d")
                .expressionAttributeNames(Map.of("#d", LicenseTable.EXPIRY_DAY))
                .expressionAttributeValues(Map.of(":d", s(dayKey)))
                .limit(limit)
                .exclusiveStartKey(PageCursor.decode(cursor, LicenseTable.EXPIRY_DAY, dayKey))
                .build();
        return dynamo.query(query).thenApply(LicenseStore::toPage);
    }

    /** Every license expiring on a UTC day, all pages. */
    public CompletableFuture<LicensePage> allByExpiryDay(LocalDate day) {
        return collect(cursor -> pageByExpiryDay(day, 500, cursor), null, new ArrayList<>(), 0);
    }

    private CompletableFuture<LicensePage> collect(Function<String, CompletableFuture<LicensePage>> next,
            String cursor, List<LicenseRecord> acc, long read) {
        return next.apply(cursor).thenCompose(page -> {
            acc.addAll(page.licenses());
            long total = read + page.itemsRead();
            return page.nextCursor() == null
                    ? CompletableFuture.completedFuture(new LicensePage(List.copyOf(acc), null, total))
                    : collect(next, page.nextCursor(), acc, total);
        });
    }

    private static LicensePage toPage(QueryResponse r) {
        List<LicenseRecord> licenses = r.items().stream().map(LicenseItems::fromItem).toList();
        String next = r.hasLastEvaluatedKey() ? PageCursor.encode(r.lastEvaluatedKey()) : null;
        return new LicensePage(licenses, next, r.scannedCount() == null ? licenses.size() : r.scannedCount());
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static CompletionException asCompletion(Throwable t) {
        return t instanceof CompletionException c ? c : new CompletionException(t);
    }
}
