package org.licensing.backoffice.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;

/** Where the IdP sends the browser back after sign-out (RP-initiated logout ended both sessions). */
@Path("/signed-out")
public class SignedOutResource {

    private final Engine engine;

    @Inject
    public SignedOutResource(Engine engine) {
        this.engine = engine;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance signedOut() {
        return engine.getTemplate("signed-out").instance();
    }
}
