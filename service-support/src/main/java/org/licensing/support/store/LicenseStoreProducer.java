package org.licensing.support.store;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The license store over the service's async DynamoDB client, on the table {@code licensing.table} names. */
public class LicenseStoreProducer {

    @Produces
    @Singleton
    LicenseStore licenseStore(DynamoDbAsyncClient dynamo,
            @ConfigProperty(name = "licensing.table", defaultValue = LicenseTable.DEFAULT_NAME) String table) {
        return new LicenseStore(dynamo, table);
    }
}
