package org.licensing.backoffice.api;

import java.util.List;

/**
 * An API answered with an error (its application/problem+json): shown on the page as what failed and what to do.
 * {@code type} is the slug of the problem type (e.g. {@code stale-version}).
 */
public class ApiProblem extends RuntimeException {

    private final String service;
    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<String> violations;

    public ApiProblem(String service, int status, String type, String title, String detail, List<String> violations) {
        super(service + " answered " + status + " " + type + ": " + detail);
        this.service = service;
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.violations = List.copyOf(violations);
    }

    public String service() {
        return service;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public List<String> violations() {
        return violations;
    }

    /** What the user can do about it, by problem type and status. */
    public String advice() {
        return switch (type) {
            case "stale-version" -> "Someone changed this license meanwhile: open it again and repeat the action.";
            case "invalid-state-transition" -> "The license's status does not allow this action (a revoked license"
                    + " is final).";
            case "invalid-request" -> "Correct the highlighted input and send the form again.";
            case "not-found" -> "It may have been removed, or the id is mistyped.";
            case "idempotency-request-in-progress" -> "The same request is still running: wait a moment and reload.";
            default -> switch (status) {
                case 401 -> "Your session has expired: sign in again.";
                case 403 -> "Your role does not allow this. Ask an administrator for the role you need.";
                case 409, 422 -> "Check the input against the current state and try again.";
                default -> status >= 500 ? "The service failed: try again in a minute; if it persists, tell the"
                        + " operators." : "Check the input and try again.";
            };
        };
    }
}
