package org.licensing.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Encodes DynamoDB's LastEvaluatedKey as an opaque URL-safe cursor, and decodes it back only if it belongs to
 * the same index partition, so a cursor cannot be used to page through another customer's licenses.
 */
final class PageCursor {

    private PageCursor() {
    }

    static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(lastEvaluatedKey).forEach((name, v) -> {
            String type = v.s() != null ? "S" : "N";
            String value = v.s() != null ? v.s() : v.n();
            sb.append(name).append('\u0000').append(type).append('\u0000').append(value).append('\u0001');
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when the cursor is not one this class made for the given partition
     */
    static Map<String, AttributeValue> decode(String cursor, String partitionAttribute, String partitionValue) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        if (cursor.length() > 2048) {
            throw new IllegalArgumentException("cursor is too long");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not valid");
        }
        Map<String, AttributeValue> key = new HashMap<>();
        for (String entry : text.split("\u0001")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("\u0000", -1);
            if (parts.length != 3 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            switch (parts[1]) {
                case "S" -> key.put(parts[0], AttributeValue.fromS(parts[2]));
                case "N" -> {
                    try {
                        Long.parseLong(parts[2]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("cursor is not valid");
                    }
                    key.put(parts[0], AttributeValue.fromN(parts[2]));
                }
                default -> throw new IllegalArgumentException("cursor is not valid");
            }
        }
        AttributeValue partition = key.get(partitionAttribute);
        if (partition == null || !partitionValue.equals(partition.s()) || !key.containsKey(LicenseTable.PK)
                || key.size() > 3) {
            throw new IllegalArgumentException("cursor does not belong to this query");
        }
        return key;
    }
}
