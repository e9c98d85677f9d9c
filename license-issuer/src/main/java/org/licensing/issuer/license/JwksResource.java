package org.licensing.issuer.license;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.crypto.SigningKeys;

@Path("/.well-known/jwks.json")
@Tag(name = "Keys")
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces({"application/jwk-set+json", "application/json"})
    @Operation(summary = "Public license-file signing keys", description = "JWK Set of every live Ed25519 key (kid,"
            + " OKP, EdDSA). Verify license files with it.")
    public Response jwks() {
        return Response.ok(keys.publicJwkSetJson()).header("Cache-Control", "public, max-age=300").build();
    }
}
