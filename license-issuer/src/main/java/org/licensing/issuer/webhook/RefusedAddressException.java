package org.licensing.issuer.webhook;

/** A webhook URL whose host is, or resolves to, an address webhooks never go to. */
public class RefusedAddressException extends RuntimeException {
    public RefusedAddressException(String message) {
        super(message, null, false, false);
    }
}
