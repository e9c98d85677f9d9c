package org.licensing.backoffice.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;


/**
 * Sign-out by POST with the CSRF token (quarkus-rest-csrf refuses the form without it): a cross-site link or image
 * to {@code /logout} (a GET) only shows the sign-out button. quarkus-oidc's own {@code logout.path} would sign out on
 * any GET, so the RP-initiated logout is done here: the local session ends, then the IdP's end-session endpoint.
 */
@Path("/logout")
@Blocking
public class SignOutResource {

    private final OidcSession session;
    private final OidcConfigurationMetadata idp;
    private final Page page;
    private final String clientId;
    private final boolean httpsRedirects;

    @Context
    UriInfo uri;

    @Inject
    public SignOutResource(OidcSession session, OidcConfigurationMetadata idp, Page page,
            @ConfigProperty(name = "quarkus.oidc.client-id") String clientId,
            @ConfigProperty(name = "quarkus.oidc.authentication.force-redirect-https-scheme", defaultValue = "false")
            boolean httpsRedirects) {
        this.session = session;
        this.idp = idp;
        this.page = page;
        this.clientId = clientId;
        this.httpsRedirects = httpsRedirects;
    }

    /** A link to /logout (ours or another site's) signs nobody out: it asks. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance confirm() {
        return page.of("sign-out");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut() {
        String idToken = session.getIdToken() == null ? null : session.getIdToken().getRawToken();
        session.logout().await().indefinitely();
        URI back = uri.getBaseUriBuilder().path("signed-out").build();
        if (httpsRedirects) {
            // behind the TLS-terminating load balancer, as quarkus-oidc builds its own redirects
            back = URI.create(back.toString().replaceFirst("^http:", "https:"));
        }
        String endSession = idp.getEndSessionUri();
        if (endSession == null) {
            return Response.seeOther(back).build();
        }
        StringBuilder to = new StringBuilder(endSession).append(endSession.contains("?") ? '&' : '?')
                .append("post_logout_redirect_uri=").append(enc(back.toString()))
                .append("&client_id=").append(enc(clientId));
        if (idToken != null) {
            to.append("&id_token_hint=").append(enc(idToken));
        }
        return Response.seeOther(URI.create(to.toString())).build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
