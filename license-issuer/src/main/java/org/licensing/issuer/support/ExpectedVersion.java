package org.licensing.issuer.support;

import org.licensing.support.problem.Problems;

/**
 * The version a change (of a license, a customer) is based on: {@code expectedVersion} in the body and/or the
 * {@code If-Match} header.
 */
public final class ExpectedVersion {

    private ExpectedVersion() {
    }

    /**
     * The expected version from the body and/or {@code If-Match} ({@code "3"}, {@code W/"3"} or {@code 3}); null
     * when neither is given.
     *
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 when If-Match is no version or the two disagree
     */
    public static Long of(Long fromBody, String ifMatch) {
        Long fromHeader = null;
        if (ifMatch != null && !ifMatch.isBlank()) {
            String v = ifMatch.strip();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            try {
                fromHeader = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw Problems.badRequest("If-Match must be the version as an entity tag, e.g. \"3\"");
            }
            if (fromHeader < 0) {
                throw Problems.badRequest("If-Match must not be negative");
            }
        }
        if (fromBody != null && fromHeader != null && !fromBody.equals(fromHeader)) {
            throw Problems.badRequest("expectedVersion and If-Match disagree");
        }
        return fromBody != null ? fromBody : fromHeader;
    }
}
