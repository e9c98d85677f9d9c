package org.licensing.relay.engine;

/** The relay does not serve now ({@link #status()} says why): the API answers 503. */
public final class RelayUnavailableException extends RuntimeException {

    private final RelayStatus status;

    public RelayUnavailableException(RelayStatus status) {
        super(status.message(), null, false, false);
        this.status = status;
    }

    public RelayStatus status() {
        return status;
    }
}
