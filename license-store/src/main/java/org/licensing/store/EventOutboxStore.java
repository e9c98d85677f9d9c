package org.licensing.store;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The importer's side of the event outbox ({@link EventOutbox}): finds the items with pending events through the
 * sparse {@link LicenseTable#BY_PENDING_EVENTS_INDEX} (a Query of each of its {@link EventOutbox#SHARDS} partitions,
 * oldest first: the cost follows the pending events, not the table), and removes events once they are imported.
 */
public class EventOutboxStore {

    /** An item with pending events, as the index showed it (eventually consistent: a later write may add more). */
    public record PendingItem(String pk, Instant since, List<OutboxEvent> events, long dropped) {
    }

    /** One page of a shard; {@code nextCursor} null on the last. */
    public record PendingPage(List<PendingItem> items, String nextCursor) {
    }

    private static final int REMOVE_ATTEMPTS = 4;

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    public EventOutboxStore(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Items of index partition {@code shard} with pending events, oldest first. */
    public CompletableFuture<PendingPage> pending(int shard, int limit, String cursor) {
        String key = Integer.toString(shard);
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .indexName(LicenseTable.BY_PENDING_EVENTS_INDEX)
                .keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", LicenseTable.OUTBOX_SHARD))
                .expressionAttributeValues(Map.of(":s", s(key)))
                .limit(limit)
                .exclusiveStartKey(PageCursor.decode(cursor, LicenseTable.OUTBOX_SHARD, key))
                .build();
        return dynamo.query(query).thenApply(r -> new PendingPage(r.items().stream().map(EventOutboxStore::pendingItem)
                .filter(i -> !i.events().isEmpty() || i.dropped() > 0).toList(),
                r.hasLastEvaluatedKey() ? PageCursor.encode(r.lastEvaluatedKey()) : null));
    }

    private static PendingItem pendingItem(Map<String, AttributeValue> item) {
        AttributeValue since = item.get(LicenseTable.OUTBOX_SINCE);
        return new PendingItem(item.get(LicenseTable.PK).s(),
                since == null ? null : Instant.ofEpochMilli(Long.parseLong(since.n())), EventOutbox.eventsOf(item),
                EventOutbox.droppedOf(item));
    }

    /**
     * Removes {@code item}'s events from its outbox once they are imported: the front of the list, on the condition
     * that it still starts with them (writers only append, importers only remove from the front). When they are all
     * it holds, the index keys go too (the item leaves the index) and the dropped count is taken back. When another
     * importer removed some first, re-reads and removes what is left of them. Idempotent.
     *
     * @param readAt when the item was read: a lower bound of the remaining events' time, the item's new sort key
     * @return whether the item left the index
     */
    public CompletableFuture<Boolean> remove(PendingItem item, Instant readAt) {
        Set<String> imported = new java.util.HashSet<>();
        item.events().forEach(e -> imported.add(e.id()));
        return remove(item.pk(), item.events().stream().map(OutboxEvent::id).toList(), item.dropped(), imported,
                readAt, 1);
    }

    private CompletableFuture<Boolean> remove(String pk, List<String> front, long dropped, Set<String> imported,
            Instant readAt, int attempt) {
        Map<String, String> names = new HashMap<>();
        names.put("#ob", LicenseTable.OUTBOX);
        names.put("#obShard", LicenseTable.OUTBOX_SHARD);
        names.put("#obSince", LicenseTable.OUTBOX_SINCE);
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removes = new ArrayList<>();
        removes.addAll(frontPaths(front.size()));
        String condition;
        String expression;
        if (front.isEmpty()) {
            condition = "attribute_not_exists(#ob) OR size(#ob) = :zero";
            values.put(":zero", n(0));
        } else {
            names.put("#id", EventOutbox.ID);
            values.put(":first", s(front.get(0)));
            values.put(":last", s(front.get(front.size() - 1)));
            values.put(":n", n(front.size()));
            condition = "size(#ob) = :n AND #ob[0].#id = :first AND #ob[" + (front.size() - 1) + "].#id = :last";
        }
        removes.add("#obShard");
        removes.add("#obSince");
        expression = "REMOVE " + String.join(", ", removes);
        if (dropped > 0) {
            names.put("#obDropped", LicenseTable.OUTBOX_DROPPED);
            values.put(":minus", n(-dropped));
            expression += " ADD #obDropped :minus";
        }
        UpdateItemRequest all = update(pk, expression, condition, names, values);
        return dynamo.updateItem(all).handle((ok, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(true);
            }
            if (!(LicenseStore.unwrap(error) instanceof ConditionalCheckFailedException)) {
                return CompletableFuture.<Boolean>failedFuture(LicenseStore.unwrap(error));
            }
            return removeFront(pk, front, dropped, imported, readAt, attempt);
        }).thenCompose(f -> f);
    }

    /** More events arrived (or another importer removed some): remove only ours, from the front. */
    private CompletableFuture<Boolean> removeFront(String pk, List<String> front, long dropped, Set<String> imported,
            Instant readAt, int attempt) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of(LicenseTable.PK, s(pk))).consistentRead(true))
                .thenCompose(r -> {
                    Map<String, AttributeValue> item = r.hasItem() ? r.item() : Map.of();
                    List<OutboxEvent> now = EventOutbox.eventsOf(item);
                    List<String> ours = new ArrayList<>();
                    for (OutboxEvent e : now) {
                        if (!imported.contains(e.id())) {
                            break;
                        }
                        ours.add(e.id());
                    }
                    if (item.isEmpty() || attempt >= REMOVE_ATTEMPTS) {
                        return CompletableFuture.completedFuture(false);
                    }
                    if (ours.size() == now.size()) {
                        // only ours are left (another importer removed the rest): clear the item
                        return remove(pk, ours, Math.min(dropped, EventOutbox.droppedOf(item)), imported, readAt,
                                attempt + 1);
                    }
                    if (ours.isEmpty()) {
                        return CompletableFuture.completedFuture(false);
                    }
                    Map<String, String> names = new HashMap<>();
                    names.put("#ob", LicenseTable.OUTBOX);
                    names.put("#obSince", LicenseTable.OUTBOX_SINCE);
                    names.put("#id", EventOutbox.ID);
                    Map<String, AttributeValue> values = new HashMap<>();
                    values.put(":first", s(ours.get(0)));
                    values.put(":last", s(ours.get(ours.size() - 1)));
                    values.put(":since", n(readAt.toEpochMilli()));
                    String expression = "REMOVE " + String.join(", ", frontPaths(ours.size())) + " SET #obSince = :since";
                    long dropNow = Math.min(dropped, EventOutbox.droppedOf(item));
                    if (dropNow > 0) {
                        names.put("#obDropped", LicenseTable.OUTBOX_DROPPED);
                        values.put(":minus", n(-dropNow));
                        expression += " ADD #obDropped :minus";
                    }
                    String condition = "#ob[0].#id = :first AND #ob[" + (ours.size() - 1) + "].#id = :last";
                    return dynamo.updateItem(update(pk, expression, condition, names, values))
                            .handle((ok, error) -> {
                                if (error == null) {
                                    return CompletableFuture.completedFuture(false);
                                }
                                if (!(LicenseStore.unwrap(error) instanceof ConditionalCheckFailedException)) {
                                    return CompletableFuture.<Boolean>failedFuture(LicenseStore.unwrap(error));
                                }
                                return removeFront(pk, front, dropped, imported, readAt, attempt + 1);
                            }).thenCompose(f -> f);
                });
    }

    /**
     * {@code #ob[n-1], ..., #ob[0]}: DynamoDB reads every index of one REMOVE against the list before the update, but
     * dynalite applies them one after the other; last to first removes the same elements in both.
     */
    private static List<String> frontPaths(int n) {
        List<String> paths = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            paths.add("#ob[" + i + "]");
        }
        return paths;
    }

    private UpdateItemRequest update(String pk, String expression, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(LicenseTable.PK, s(pk)))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * Appends {@code events} to item {@code pk}'s outbox when the item exists: for tests and tools; the services
     * append inside their own change's write ({@link EventOutbox#append}).
     */
    public CompletableFuture<Void> append(String pk, List<OutboxEvent> events, Instant now) {
        EventOutbox.Fragment f = EventOutbox.append(pk, events, now);
        Map<String, String> names = new HashMap<>(f.names());
        names.put("#pk", LicenseTable.PK);
        return dynamo.updateItem(update(pk, f.joinInto(null, null), "attribute_exists(#pk)", names, f.values()))
                .thenApply(ok -> null);
    }
}
