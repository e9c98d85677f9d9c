package org.licensing.validator.license;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.licensing.support.async.Async;

/**
 * Remembers whether the last DynamoDB call worked, logs one clear line when it stops working and one when it
 * works again (not one per request), and feeds the readiness check. Costs no network call.
 */
@Singleton
public class StoreHealth {

    private static final Logger LOG = Logger.getLogger(StoreHealth.class);

    private final AtomicBoolean up = new AtomicBoolean(true);

    public void succeeded() {
        if (!up.get() && up.compareAndSet(false, true)) {
            LOG.info("DynamoDB is reachable again: license lookups recovered");
        }
    }

    public StoreUnavailableException failed(String operation, Throwable error) {
        Throwable cause = Async.unwrap(error);
        if (up.compareAndSet(true, false)) {
            LOG.errorf("DynamoDB unreachable or failing during %s (%s: %s); answering 503 for licenses not in cache until it recovers",
                    operation, cause.getClass().getSimpleName(), cause.getMessage());
        } else {
            LOG.debugf("DynamoDB still unreachable during %s: %s", operation, cause.getMessage());
        }
        return new StoreUnavailableException(cause);
    }

    public boolean isUp() {
        return up.get();
    }
}
