package org.licensing.backoffice.security;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Security headers on every answer (pages, static files, errors, OIDC redirects). The CSP allows no inline script
 * or style; form-action also names the IdP, since sign-out posts to a redirect that ends at the IdP.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Ahead of the security handlers, so the OIDC redirects to the IdP get the headers too. */
    static final int FILTER_PRIORITY = 20_000;

    private final String csp;

    public SecurityHeaders(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        URI idp = URI.create(authServerUrl);
        String idpOrigin = idp.getScheme() + "://" + idp.getAuthority();
        this.csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; form-action 'self' " + idpOrigin + "; base-uri 'none'; object-src 'none'";
    }

    public String contentSecurityPolicy() {
        return csp;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.request().path();
            // Set when the headers go out, so answers another handler ends (OIDC redirects, errors) carry them too.
            rc.addHeadersEndHandler(ignored -> {
                rc.response().headers()
                        .set("Content-Security-Policy", csp)
                        .set("X-Content-Type-Options", "nosniff")
                        .set("X-Frame-Options", "DENY")
                        .set("Referrer-Policy", "same-origin")
                        .set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                if (!path.startsWith("/static/") && !path.startsWith("/webjars/")) {
                    // Pages show license data and keys: never kept in a shared or browser cache.
                    rc.response().headers().set("Cache-Control", "no-store");
                }
            });
            rc.next();
        }, FILTER_PRIORITY);
    }
}
