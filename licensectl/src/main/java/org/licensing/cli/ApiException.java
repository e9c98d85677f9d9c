package org.licensing.cli;

/** An application/problem+json (or other error) answer of the issuer. Message: {@code title: detail}. */
public final class ApiException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String detail;

    public ApiException(int status, String type, String title, String detail) {
        super(ExitCodes.forStatus(status), detail == null || detail.isBlank() ? title : title + ": " + detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** The problem's stable {@code type} URI, or null when the answer was not a problem document. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
