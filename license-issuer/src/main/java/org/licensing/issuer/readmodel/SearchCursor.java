package org.licensing.issuer.readmodel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/**
 * The keyset position after a page: the last row's sort key and license id, with the fingerprint of the search it
 * belongs to ({@link LicenseSearch#fingerprint}). Opaque to clients (base64url); not a secret: it only ever narrows
 * a query that is scoped anyway.
 *
 * @param key the last row's sort value: an ISO-8601 instant, or the lower-cased customer name
 */
record SearchCursor(String fingerprint, String licenseId, String key) {

    private static final String VERSION = "c1";
    static final int MAX_LENGTH = 2048;

    String encode() {
        String text = VERSION + '\n' + fingerprint + '\n' + licenseId + '\n' + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws io.quarkiverse.resteasy.problem.HttpProblem 400 invalid-cursor: not a cursor of this search */
    static SearchCursor decode(String cursor, String expectedFingerprint) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts = null;
        if (cursor.length() <= MAX_LENGTH) {
            try {
                parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8)
                        .split("\n", 4);
            } catch (IllegalArgumentException e) {
                parts = null;
            }
        }
        if (parts == null || parts.length != 4 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
            throw Problems.of(ProblemType.INVALID_CURSOR, "cursor: not a cursor of a license search");
        }
        if (!parts[1].equals(expectedFingerprint)) {
            throw Problems.of(ProblemType.INVALID_CURSOR, "cursor: it belongs to a search with other filters or"
                    + " another sort; start again without a cursor");
        }
        return new SearchCursor(parts[1], parts[2], parts[3]);
    }
}
