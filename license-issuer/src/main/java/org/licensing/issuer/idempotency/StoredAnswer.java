package org.licensing.issuer.idempotency;

/** An HTTP answer as kept for replay: status, JSON body, optional Location. */
public record StoredAnswer(int status, String body, String location) {
}
