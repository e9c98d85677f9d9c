package org.licensing.core.checkout;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reading the small JSON texts a person carries (request, return): size-bounded, no unknown or missing members. */
final class CheckoutJson {

    /** Largest request or return text accepted (characters): a few hundred bytes in practice. */
    static final int MAX_LENGTH = 16 * 1024;

    private CheckoutJson() {
    }

    static Map<String, Object> parse(String text, String what, String type, Set<String> allowed) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is larger than " + MAX_LENGTH + " characters");
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(text.strip());
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException(what + " is not a JSON object", e);
        }
        Object typ = json.get("typ");
        if (!type.equals(typ)) {
            throw new IllegalArgumentException(what + " must have \"typ\": \"" + type + "\"");
        }
        for (String name : json.keySet()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(what + " has an unknown member \"" + name + "\"");
            }
        }
        return json;
    }

    static String text(Map<String, Object> json, String name, String what) {
        Object v = json.get(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(what + ": \"" + name + "\" is missing or not a string");
        }
        return s;
    }

    static String optionalText(Map<String, Object> json, String name, String what) {
        Object v = json.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(what + ": \"" + name + "\" is not a string");
        }
        return s;
    }

    static UUID uuid(Map<String, Object> json, String name, String what) {
        String s = text(json, name, what);
        try {
            UUID id = UUID.fromString(s);
            if (!id.toString().equals(s.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("not canonical");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": \"" + name + "\" is not a UUID", e);
        }
    }

    static Instant instant(Map<String, Object> json, String name, String what) {
        String s = text(json, name, what);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + ": \"" + name + "\" is not an ISO-8601 instant", e);
        }
    }

    static long positiveLong(Map<String, Object> json, String name, String what) {
        Object v = json.get(name);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d >= 1 && d == Math.rint(d) && d < 0x1p53) {
                return (long) d;
            }
        }
        throw new IllegalArgumentException(what + ": \"" + name + "\" must be a positive integer");
    }
}
