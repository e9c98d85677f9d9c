package org.licensing.validator.license;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.licensing.store.LicenseStore;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The shared license-core store over the async DynamoDB client (netty), so reads compose on the event loop. */
public class LicenseStoreProducer {

    @Produces
    @Singleton
    LicenseStore licenseStore(DynamoDbAsyncClient dynamo, @ConfigProperty(name = "licensing.table") String table) {
        return new LicenseStore(dynamo, table);
    }
}
