package org.licensing.notification.support;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.licensing.store.LicenseItems;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseTable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Bulk-loads license records with BatchWriteItem (25 per request, a few requests in parallel). */
public final class LicenseLoader {

    private LicenseLoader() {
    }

    /** Writes one license per expiry day given; returns the wall time in ms. */
    public static long load(DynamoDbClient dynamo, List<LocalDate> expiryDays, Function<LocalDate, LicenseRecord> make) {
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < expiryDays.size(); i += 25) {
                List<WriteRequest> batch = new ArrayList<>();
                for (LocalDate day : expiryDays.subList(i, Math.min(expiryDays.size(), i + 25))) {
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder()
                            .item(LicenseItems.toItem(make.apply(day))).build()).build());
                }
                futures.add(pool.submit(() -> write(dynamo, batch)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading licenses failed", e);
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void write(DynamoDbClient dynamo, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(LicenseTable.DEFAULT_NAME, batch));
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
            pending = response.hasUnprocessedItems() ? new HashMap<>(response.unprocessedItems()) : Map.of();
            pending.values().removeIf(List::isEmpty);
        }
    }
}
