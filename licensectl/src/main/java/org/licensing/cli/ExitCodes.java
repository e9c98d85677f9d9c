package org.licensing.cli;

/** Process exit codes: one per class of failure, so scripts can branch without parsing text. */
public final class ExitCodes {

    /** Done; for {@code verify}: the license file is usable (VALID or EXPIRED_IN_GRACE). */
    public static final int OK = 0;
    /** Anything not below: issuer unreachable, server error, 422, I/O error. */
    public static final int OTHER = 1;
    /** Bad command line or input (also the issuer's 400 answers). */
    public static final int USAGE = 2;
    /** Not logged in, token rejected (401) or missing role (403). */
    public static final int AUTH = 3;
    /** The license (or customer) does not exist (404). */
    public static final int NOT_FOUND = 4;
    /** Stale version or a transition the license's state does not allow (409, 412). */
    public static final int CONFLICT = 5;
    /** {@code verify}: the file is genuine but not usable at that instant (EXPIRED, NOT_YET_VALID). */
    public static final int NOT_USABLE = 6;
    /** {@code verify}: the file cannot be trusted (bad signature, unknown key, malformed, wrong license key). */
    public static final int REJECTED = 7;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status of the issuer. */
    public static int forStatus(int status) {
        return switch (status) {
            case 400 -> USAGE;
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409, 412 -> CONFLICT;
            default -> OTHER;
        };
    }
}
