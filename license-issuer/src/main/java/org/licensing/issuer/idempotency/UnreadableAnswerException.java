package org.licensing.issuer.idempotency;

/**
 * A stored payload (first answer or plan) that the current server secret cannot open. Not a server error to retry:
 * the same key will never read it again, so {@link Idempotency} answers 422 {@code idempotent-answer-unreadable}.
 */
public class UnreadableAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableAnswerException(String pk, Throwable cause) {
        super("The payload of idempotency record " + pk + " cannot be decrypted with the current secret", cause);
    }
}
