package org.licensing.issuer.checkout;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.store.CheckoutStore;
import org.licensing.store.LicenseStore;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The checkout bookkeeping writes to the table of the shared license store. */
public class CheckoutStoreProducer {

    @Produces
    @Singleton
    CheckoutStore checkoutStore(DynamoDbAsyncClient dynamo, LicenseStore licenses) {
        return new CheckoutStore(dynamo, licenses.table());
    }
}
