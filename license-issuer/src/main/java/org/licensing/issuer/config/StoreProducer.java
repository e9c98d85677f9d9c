package org.licensing.issuer.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.store.LicenseStore;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

@ApplicationScoped
public class StoreProducer {

    @Produces
    @Singleton
    LicenseStore licenseStore(DynamoDbAsyncClient dynamo, IssuerConfig config) {
        return new LicenseStore(dynamo, config.table());
    }
}
