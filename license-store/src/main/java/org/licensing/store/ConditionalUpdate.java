package org.licensing.store;

import static org.licensing.store.LicenseItems.s;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The one conditional UpdateItem of a license item that answers the record after it: the issuer's checkouts and the
 * validator's activations and events all write this way.
 */
public final class ConditionalUpdate {

    private ConditionalUpdate() {
    }

    /**
     * The new record when the write happened, null when {@code condition} failed; any other failure completes the
     * future exceptionally.
     */
    public static CompletableFuture<LicenseRecord> apply(DynamoDbAsyncClient dynamo, String table, String licenseId,
            String expression, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(LicenseTable.PK, s(LicenseTable.licensePk(licenseId))))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .returnValues(ReturnValue.ALL_NEW)
                .build();
        return dynamo.updateItem(request).handle((response, error) -> {
            if (error == null) {
                return LicenseItems.fromItem(response.attributes());
            }
            if (LicenseStore.unwrap(error) instanceof ConditionalCheckFailedException) {
                return null;
            }
            throw error instanceof CompletionException c ? c : new CompletionException(error);
        });
    }
}
