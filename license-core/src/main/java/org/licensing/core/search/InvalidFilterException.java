package org.licensing.core.search;

/** A search filter whose value is not valid; the message starts with the parameter's name. */
public final class InvalidFilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidFilterException(String parameter, String problem) {
        super(parameter + ": " + problem);
        this.parameter = parameter;
    }

    /** The query parameter, e.g. {@code minLimit}. */
    public String parameter() {
        return parameter;
    }
}
