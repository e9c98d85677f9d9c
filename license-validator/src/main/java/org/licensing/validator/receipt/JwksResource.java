package org.licensing.validator.receipt;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.crypto.SigningKeys;

/** Public keys that verify validation receipts, as a JWK Set (active key first). */
@Path("/.well-known/jwks.json")
@Tag(name = "keys")
public class JwksResource {

    private final String json;

    public JwksResource(SigningKeys keys) {
        this.json = keys.publicJwkSetJson();
    }

    @GET
    @NonBlocking
    @Produces({"application/jwk-set+json", "application/json"})
    @Operation(summary = "Receipt verification keys", description = "Ed25519 public keys (kty OKP) by kid.")
    @APIResponse(responseCode = "200", description = "JWK Set", content = @Content(mediaType = "application/jwk-set+json",
            examples = @ExampleObject(name = "keys", value = "{\"keys\":[{\"kty\":\"OKP\",\"use\":\"sig\",\"crv\":\"Ed25519\","
                    + "\"kid\":\"2026-01\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"alg\":\"EdDSA\"}]}")))
    public Response jwks() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return Response.ok(json).cacheControl(cc).build();
    }
}
