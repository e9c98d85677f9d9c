package org.licensing.client;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps {@link Trust}'s signed key set current: loads the cached set at start, fetches
 * {@value LicenseClient#KEY_SET_PATH} when a receipt names an unknown {@code kid} (at most once a minute, so a flood
 * of forged kids cannot make the client hammer the validator) and, once a set was accepted, at the first validation
 * and then daily (a newer set may drop a key). Thread-safe.
 */
final class KeyRefresh {

    /** A receipt with an unknown kid fetches the signed key set at most this often. */
    static final long UNKNOWN_KID_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** An accepted signed key set is fetched again this often. */
    static final long KEY_SET_REFRESH_NANOS = TimeUnit.DAYS.toNanos(1);

    private static final System.Logger LOG = System.getLogger(KeyRefresh.class.getName());

    private final Trust trust;
    private final Transport transport; // null: license-file mode, nothing to fetch from
    private final CacheStore store;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Object storeLock = new Object();
    private volatile long lastRefresh;

    KeyRefresh(Trust trust, Transport transport, CacheStore store, Clock clock, LongSupplier nanoTime) {
        this.trust = trust;
        this.transport = transport;
        this.store = store;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.lastRefresh = nanoTime.getAsLong() - KEY_SET_REFRESH_NANOS - 1;
        load();
    }

    Trust trust() {
        return trust;
    }

    /** A receipt, verified; an unknown kid fetches the key set first when allowed and not done within a minute. */
    Receipt verifyReceipt(String compact, boolean mayRefresh) throws Untrusted {
        try {
            return Receipt.verify(compact, trust, clock.instant());
        } catch (Untrusted u) {
            if (!u.unknownKey() || !mayRefresh || transport == null
                    || nanoTime.getAsLong() - lastRefresh < UNKNOWN_KID_REFRESH_NANOS) {
                throw u;
            }
            refresh(); // a kid we do not know: perhaps a rotation announced in a signed key set
            return Receipt.verify(compact, trust, clock.instant());
        }
    }

    /** Fetches the set when one was accepted and the last fetch is a day old (or there was none yet). */
    void refreshIfDue() {
        if (trust.hasKeySet() && nanoTime.getAsLong() - lastRefresh > KEY_SET_REFRESH_NANOS) {
            refresh();
        }
    }

    /** Fetches the signed key set now; see {@link LicenseClient#refreshKeys()}. */
    Set<String> refresh() {
        lastRefresh = nanoTime.getAsLong();
        try {
            Transport.Answer http = transport.send("GET", LicenseClient.KEY_SET_PATH, null, null);
            if (http.status() != 200) {
                LOG.log(System.Logger.Level.DEBUG, "No signed key set: HTTP " + http.status());
                return kids();
            }
            String jws = http.body().strip();
            if (trust.acceptKeySet(jws, clock.instant())) {
                synchronized (storeLock) {
                    store.writeKeySet(jws);
                }
            }
        } catch (Untrusted u) {
            LOG.log(System.Logger.Level.WARNING, "The validator's signed key set was rejected (it must be a JWS signed"
                    + " by a pinned key); ignored: " + u.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot fetch or store the validator's key set: " + e);
        }
        return kids();
    }

    /** The kids trusted for receipts now (pinned, plus those of an accepted signed key set). */
    Set<String> kids() {
        return trust.kids(clock.instant());
    }

    long keysVersion() {
        return trust.keysVersion(clock.instant());
    }

    private void load() {
        try {
            String jws = store.readKeySet();
            if (jws != null) {
                trust.acceptKeySet(jws.strip(), clock.instant());
            }
        } catch (Untrusted u) {
            LOG.log(System.Logger.Level.WARNING, "The cached key set was rejected and is ignored: " + u.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "The cached key set cannot be read: " + e);
        }
    }
}
