package org.licensing.issuer.support;

/**
 * Text put into a SQL {@code LIKE} pattern: the wildcards {@code %} and {@code _} and the escape character itself are
 * escaped with a backslash (PostgreSQL's default escape; HQL queries name it with {@code escape '\'}), so what a user
 * types is matched as text, never as a pattern.
 */
public final class LikePatterns {

    private LikePatterns() {
    }

    public static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
