package org.licensing.relay.usage;

/** A requested period does not continue the report chain (a gap or an overlap), or lies in the future. */
public final class ReportSequenceException extends RuntimeException {

    public ReportSequenceException(String message) {
        super(message, null, false, false);
    }
}
