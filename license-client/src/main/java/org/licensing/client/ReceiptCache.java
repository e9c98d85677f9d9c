package org.licensing.client;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest receipt, in memory and in the cache ({@link CacheStore#RECEIPT}): the latest <em>request</em>'s receipt
 * wins (a refusal replaces an earlier lease), by the order the requests were sent, not by {@code iat} (validator
 * instances' clocks may differ by a little). A cached receipt is re-verified when read, remembered on its exact text
 * for as long as the trusted keys stay the same. Thread-safe (its lock is taken before {@link TrustedClock}'s).
 */
final class ReceiptCache {

    private static final System.Logger LOG = System.getLogger(ReceiptCache.class.getName());

    private final CacheStore store;
    private final KeyRefresh keys;
    private final TrustedClock clock;
    private final AtomicLong requests = new AtomicLong();
    private final Object lock = new Object();
    private Receipt last;
    private long remembered; // sequence of the request whose receipt was kept last

    ReceiptCache(CacheStore store, KeyRefresh keys, TrustedClock clock) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
    }

    /** The sequence number of a request about to be sent. */
    long nextRequest() {
        return requests.incrementAndGet();
    }

    /**
     * A verified fresh receipt of request {@code request}: kept when no later request's was, unless it is
     * LIMIT_EXCEEDED (about this usage, not the license: the earlier lease stays); its {@code iat}, the validator's
     * time now, becomes the trusted time when no later request's did (this also heals a trusted time that a clock
     * running ahead had pushed too far).
     */
    void offer(Receipt receipt, long request) {
        synchronized (lock) {
            if (request > remembered && receipt.code() != LicenseCode.LIMIT_EXCEEDED) {
                remembered = request;
                last = receipt;
                try {
                    store.writeReceipt(receipt.compact());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Cannot write the receipt cache in " + store.directory()
                            + ": offline answers will use an older receipt (" + e + ")");
                }
            }
            if (request >= remembered) {
                clock.reset(receipt.issuedAt());
            }
        }
    }

    /**
     * The cached receipt, re-verified with the keys in force now (never fetching keys), or null when there is none.
     *
     * @throws IOException when the cache cannot be read (or holds more than {@link CacheStore#MAX_FILE} bytes)
     * @throws Untrusted when it does not verify
     */
    Receipt cached() throws IOException, Untrusted {
        synchronized (lock) {
            String text = store.readReceipt();
            if (text == null) {
                return null;
            }
            if (last != null && last.keysVersion() == keys.keysVersion() && last.compact().equals(text.strip())) {
                return last; // verified before, with the keys in force now
            }
            Receipt r = keys.verifyReceipt(text, false);
            last = r;
            return r;
        }
    }
}
