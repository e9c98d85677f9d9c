package org.licensing.backoffice.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A query string built from optional, repeatable parameters; blank values are left out. */
public final class Query {

    private final List<String[]> params = new ArrayList<>();

    public Query add(String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
            params.add(new String[] { name, value.toString().trim() });
        }
        return this;
    }

    public Query addAll(String name, Collection<String> values) {
        if (values != null) {
            values.forEach(v -> add(name, v));
        }
        return this;
    }

    /** {@code ?a=1&b=2}, or empty. */
    public String toString() {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("?");
        for (String[] p : params) {
            if (out.length() > 1) {
                out.append('&');
            }
            out.append(enc(p[0])).append('=').append(enc(p[1]));
        }
        return out.toString();
    }

    public Query without(String name) {
        Query copy = new Query();
        params.stream().filter(p -> !p[0].equals(name)).forEach(p -> copy.add(p[0], p[1]));
        return copy;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
