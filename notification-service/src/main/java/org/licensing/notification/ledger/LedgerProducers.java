package org.licensing.notification.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.store.LicenseStore;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Makes the plain {@link SendLedgerStore} (also built without CDI by its test) a bean, on the table of the shared
 * license store (the ledger's items live beside the licenses).
 */
@ApplicationScoped
public class LedgerProducers {

    @Produces
    @Singleton
    SendLedgerStore sendLedgerStore(DynamoDbAsyncClient dynamo, LicenseStore licenses) {
        return new SendLedgerStore(dynamo, licenses.table());
    }
}
