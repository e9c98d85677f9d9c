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
 * The endpoint and its parameters follow quarkus-oidc's own logout properties, so an IdP that is not quite OIDC is
 * configured the same way: Cognito publishes no {@code end_session_endpoint} and wants
 * {@code <domain>/logout?client_id=..&logout_uri=..}, which the prod overlay sets through
 * {@code quarkus.oidc.end-session-path}, {@code quarkus.oidc.logout.post-logout-uri-param=logout_uri} and
 * {@code quarkus.oidc.logout.extra-params.client_id}.
 */
@Path("/logout")
@Blocking
public class SignOutResource {

    private final OidcSession session;
    private final OidcConfigurationMetadata idp;
    private final Page page;
    private final String clientId;
    private final boolean httpsRedirects;
    private final java.util.Optional<String> endSessionPath;
    private final String postLogoutParam;
    private final String postLogoutPath;
    private final java.util.Map<String, String> extraParams = new java.util.TreeMap<>();

    @Context
    UriInfo uri;

    @Inject
    public SignOutResource(OidcSession session, OidcConfigurationMetadata idp, Page page,
            @ConfigProperty(name = "quarkus.oidc.client-id") String clientId,
            @ConfigProperty(name = "quarkus.oidc.authentication.force-redirect-https-scheme", defaultValue = "false")
            boolean httpsRedirects,
            @ConfigProperty(name = "quarkus.oidc.end-session-path") java.util.Optional<String> endSessionPath,
            @ConfigProperty(name = "quarkus.oidc.logout.post-logout-uri-param",
                    defaultValue = "post_logout_redirect_uri") String postLogoutParam,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl,
            @ConfigProperty(name = "quarkus.oidc.logout.post-logout-path", defaultValue = "/signed-out")
            String postLogoutPath,
            org.eclipse.microprofile.config.Config config) {
        this.session = session;
        this.idp = idp;
        this.page = page;
        this.clientId = clientId;
        this.httpsRedirects = httpsRedirects;
        this.endSessionPath = endSessionPath.map(path -> path.matches("(?i)https?://.*") ? path
                : authServerUrl.replaceFirst("/+$", "") + "/" + path.replaceFirst("^/+", ""));
        this.postLogoutParam = postLogoutParam;
        this.postLogoutPath = postLogoutPath.replaceFirst("^/+", "");
        String prefix = "quarkus.oidc.logout.extra-params.";
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                extraParams.put(name.substring(prefix.length()), config.getValue(name, String.class));
            }
        }
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
        URI back = uri.getBaseUriBuilder().path(postLogoutPath).build();
        if (httpsRedirects) {
            // behind the TLS-terminating load balancer, as quarkus-oidc builds its own redirects
            back = URI.create(back.toString().replaceFirst("^http:", "https:"));
        }
        String endSession = endSessionPath.orElse(idp.getEndSessionUri());
        if (endSession == null) {
            return Response.seeOther(back).build();
        }
        return Response.seeOther(endSessionRedirect(endSession, postLogoutParam, back, clientId, extraParams,
                idToken)).build();
    }

    /**
     * Where the browser goes to end the IdP's session: {@code endSession} with the way back under
     * {@code postLogoutParam}, the extra parameters, {@code client_id} unless an extra parameter gives it, and the
     * ID token as {@code id_token_hint} when there is one.
     */
    static URI endSessionRedirect(String endSession, String postLogoutParam, URI back, String clientId,
            java.util.Map<String, String> extraParams, String idToken) {
        StringBuilder to = new StringBuilder(endSession).append(endSession.contains("?") ? '&' : '?')
                .append(enc(postLogoutParam)).append('=').append(enc(back.toString()));
        extraParams.forEach((name, value) -> to.append('&').append(enc(name)).append('=').append(enc(value)));
        if (!extraParams.containsKey("client_id")) {
            to.append("&client_id=").append(enc(clientId));
        }
        if (idToken != null) {
            to.append("&id_token_hint=").append(enc(idToken));
        }
        return URI.create(to.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
