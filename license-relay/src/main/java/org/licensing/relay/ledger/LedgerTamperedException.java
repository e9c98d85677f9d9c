package org.licensing.relay.ledger;

/**
 * The data directory's usage log (or report chain) is not what this relay wrote: a record was changed, removed,
 * reordered or signed by another key. The relay refuses to serve on it; the message says where it broke.
 */
public final class LedgerTamperedException extends Exception {

    public LedgerTamperedException(String message) {
        super(message);
    }
}
