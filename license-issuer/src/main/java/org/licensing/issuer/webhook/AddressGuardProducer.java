package org.licensing.issuer.webhook;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.issuer.config.IssuerConfig;

/** The guard over the operator's allowed ranges (none in production). */
public class AddressGuardProducer {

    @Produces
    @Singleton
    AddressGuard guard(IssuerConfig config) {
        return new AddressGuard(config.webhooks().allowedRanges().orElse(List.of()));
    }
}
