package org.licensing.issuer.support;

import java.util.Optional;
import java.util.UUID;

/**
 * The one rule for ids in paths, query parameters and token claims (licenses, customers, policies): a UUID in its
 * canonical text form {@code 8-4-4-4-12} hex digits, hex digits in either case (UUID text is case-insensitive,
 * RFC 9562), read as the lower-case UUID the service stores. Anything else (other lengths, missing leading zeros,
 * braces, a {@code urn:uuid:} prefix, non-ASCII digits) is no id at all, which the callers answer with 404.
 */
public final class Ids {

    private static final int LENGTH = 36;

    private Ids() {
    }

    /** The UUID {@code text} names, or empty when it is not a canonical UUID (null included). */
    public static Optional<UUID> parseUuid(String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : isHexDigit(c);
            if (!ok) {
                return Optional.empty();
            }
        }
        return Optional.of(UUID.fromString(text));
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
