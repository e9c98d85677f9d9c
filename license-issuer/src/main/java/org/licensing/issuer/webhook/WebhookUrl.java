package org.licensing.issuer.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.licensing.support.problem.Problems;

/**
 * A checked endpoint URL: absolute, {@code https} ({@code http} only where the operator allows it: local and test),
 * a host, no user info (credentials in a URL end up in logs), no fragment.
 */
public record WebhookUrl(URI uri, boolean https, String host, int port, String pathAndQuery) {

    public static final int MAX_LENGTH = 2048;

    /** @throws io.quarkiverse.resteasy.problem.HttpProblem 400 naming what is wrong */
    public static WebhookUrl parse(String text, boolean allowHttp) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            throw Problems.badRequest("url: required, at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw Problems.badRequest("url: not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !(allowHttp && scheme.equals("http"))) {
            throw Problems.badRequest("url: must be https" + (allowHttp ? " or http" : ""));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw Problems.badRequest("url: has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw Problems.badRequest("url: must not carry user info (credentials)");
        }
        if (uri.getRawFragment() != null) {
            throw Problems.badRequest("url: must not have a fragment");
        }
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new WebhookUrl(uri, https, host, port, path + query);
    }
}
