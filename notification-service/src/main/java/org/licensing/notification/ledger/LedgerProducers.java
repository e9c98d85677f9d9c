package org.licensing.notification.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.licensing.store.LicenseTable;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Makes the plain {@link SendLedgerStore} (also built without CDI by its test) a bean. */
@ApplicationScoped
public class LedgerProducers {

    @Produces
    @Singleton
    SendLedgerStore sendLedgerStore(DynamoDbAsyncClient dynamo,
            @ConfigProperty(name = "licensing.table", defaultValue = LicenseTable.DEFAULT_NAME) String table) {
        return new SendLedgerStore(dynamo, table);
    }
}
