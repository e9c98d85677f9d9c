package org.licensing.backoffice.format;

import java.time.Instant;

import io.quarkus.qute.TemplateExtension;

/**
 * {@link Readable} for the templates: {@code {fmt:date(l.expiresAt)}}, {@code {fmt:limit(e.key, e.value)}},
 * {@code {fmt:tone(l.status)}}. The tags {@code date}, {@code time} and {@code badge} (templates/tags) wrap them with
 * the exact instant in a {@code <time datetime title>} and the badge's text.
 */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private Formats() {
    }

    static String date(Object value) {
        return Readable.date(value, Instant.now());
    }

    static String time(Object value) {
        return Readable.time(value, Instant.now());
    }

    static String limit(Object name, Object value) {
        return Readable.limit(name, value);
    }

    static String tone(Object status) {
        return Readable.tone(status);
    }
}
