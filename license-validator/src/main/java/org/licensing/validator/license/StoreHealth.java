package org.licensing.validator.license;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.licensing.store.LicenseStore;
import org.licensing.support.async.Async;
import org.licensing.validator.config.ValidatorConfig;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Whether DynamoDB answers: the outcome of the last call, with one clear log line when it stops working and one when
 * it works again (not one per request). While it is down, {@link #ready()} asks DynamoDB itself, at most once per
 * {@code store-probe-interval}: an unready pod gets no traffic, so without that probe no call would ever succeed
 * and the pod would stay out of service after DynamoDB came back. While it is up, readiness costs no call.
 */
@Singleton
public class StoreHealth {

    private static final Logger LOG = Logger.getLogger(StoreHealth.class);

    /** The id the probe reads: no license has it (ids are UUIDs); a GetItem like any lookup, so the same IAM right. */
    static final String PROBE_ID = "readiness-probe";

    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicLong lastProbe = new AtomicLong();
    private final AtomicBoolean probed = new AtomicBoolean();
    private final LicenseStore store;
    private final Ticker ticker;
    private final long probeIntervalNanos;

    public StoreHealth(LicenseStore store, Ticker ticker, ValidatorConfig config) {
        this.store = store;
        this.ticker = ticker;
        this.probeIntervalNanos = config.storeProbeInterval().toNanos();
    }

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

    /**
     * Readiness: true at once while the last call worked. While down, one GetItem per probe interval (concurrent
     * probes in between answer from the last outcome) decides, and its success brings the pod back.
     */
    public CompletionStage<Boolean> ready() {
        if (up.get()) {
            return CompletableFuture.completedFuture(true);
        }
        long now = ticker.read();
        long last = lastProbe.get();
        boolean due = !probed.get() || now - last >= probeIntervalNanos;
        if (!due || !lastProbe.compareAndSet(last, now)) {
            return CompletableFuture.completedFuture(up.get());
        }
        probed.set(true);
        return store.find(PROBE_ID).handle((found, error) -> {
            if (error == null) {
                succeeded();
            } else {
                failed("the readiness probe's GetItem", error);
            }
            return up.get();
        });
    }
}
