package org.licensing.issuer.eventimport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.store.EventOutboxStore;
import org.licensing.store.LicenseStore;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The shared outbox store, on the licenses table. */
@ApplicationScoped
public class EventImportProducers {

    @Produces
    @Singleton
    EventOutboxStore eventOutboxStore(DynamoDbAsyncClient dynamo, LicenseStore licenses) {
        return new EventOutboxStore(dynamo, licenses.table());
    }
}
