package org.licensing.support.signing;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.crypto.SigningKeys;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The public half of every live signing key as a JWK Set (active key first), for any JOSE library to verify what
 * the service signs. Served by the services that sign ({@code licensing.signing.publish-jwks=true}).
 */
@Path("/.well-known/jwks.json")
@Tag(name = "Keys", description = "Public keys that verify license files and receipts")
@IfBuildProperty(name = "licensing.signing.publish-jwks", stringValue = "true")
public class JwksResource {

    /** The JSON is built once: keys change only with a restart. */
    private final String json;

    public JwksResource(SigningKeys keys) {
        this.json = keys.publicJwkSetJson();
    }

    @GET
    @PermitAll
    @NonBlocking
    @Produces({"application/jwk-set+json", "application/json"})
    @Operation(operationId = "getJwks", summary = "Public signing keys",
            description = "Ed25519 public keys (kty OKP, crv Ed25519, alg EdDSA) by kid. Cache for up to 5 minutes.")
    @APIResponse(responseCode = "200", description = "The JWK Set", content = @Content(
            mediaType = "application/jwk-set+json", examples = @ExampleObject(name = "keys", value = """
                    {"keys":[{"kty":"OKP","use":"sig","crv":"Ed25519","kid":"2026-01",\
                    "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"EdDSA"}]}""")))
    @APIResponse(responseCode = "406", description = "The Accept header allows neither application/jwk-set+json nor"
            + " application/json", content = @Content(mediaType = "application/problem+json"))
    @SecurityRequirements({}) // public: an empty requirement list, not "unspecified"
    public Response jwks() {
        return Response.ok(json).header("Cache-Control", "public, max-age=300").build();
    }
}
