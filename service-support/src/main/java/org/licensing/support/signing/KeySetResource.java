package org.licensing.support.signing;

import java.time.Clock;
import java.util.Optional;

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
import org.jboss.logging.Logger;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.support.problem.Problems;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code GET /.well-known/jwks.jws}: the live signing keys as a {@link SignedKeySet}, signed by the rotation key
 * ({@code licensing.signing.key-set.*}), so products that pin the rotation key follow a key rotation without an
 * update. 404 while no rotation key is configured (products then rely on their pinned keys).
 */
@Path("/.well-known/jwks.jws")
@Tag(name = "Keys", description = "Public keys that verify license files and receipts")
@IfBuildProperty(name = "licensing.signing.publish-jwks", stringValue = "true")
public class KeySetResource {

    /** The media type of a compact JWS (RFC 7515). */
    static final String JOSE = "application/jose";
    private static final Logger LOG = Logger.getLogger(KeySetResource.class);

    private final Optional<SignedKeySet> keySet;

    public KeySetResource(SigningKeys keys, SigningConfig config, Clock clock) {
        this.keySet = keySet(keys, config.keySet(), clock);
    }

    /**
     * The signed key set {@code config} asks for: none without a rotation kid and key; both or neither, else the start
     * fails (a half configuration would silently serve nothing).
     */
    static Optional<SignedKeySet> keySet(SigningKeys keys, SigningConfig.KeySet config, Clock clock) {
        Optional<String> kid = config.rotationKid().filter(k -> !k.isBlank());
        Optional<String> key = config.rotationKey().filter(k -> !k.isBlank());
        if (kid.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (kid.isEmpty() || key.isEmpty()) {
            throw new IllegalStateException("licensing.signing.key-set.rotation-kid and rotation-key go together:"
                    + " set both to serve /.well-known/jwks.jws, or neither");
        }
        SigningKeys rotation = SigningKeys.fromPem(kid.get(),
                java.util.Map.of(kid.get(), SigningKeysProducer.pem(kid.get(), key.get())));
        SignedKeySet set = new SignedKeySet(keys, rotation, config.validity(), clock);
        LOG.infof("Signed key set: keys %s signed by rotation key %s, valid %s", keys.kids(), kid.get(),
                config.validity());
        return Optional.of(set);
    }

    @GET
    @PermitAll
    @NonBlocking
    // license-client's transport asks every endpoint with Accept: application/json; the body is always a JWS, so the
    // answer's type stays application/jose either way (set below).
    @Produces({JOSE, "application/json"})
    @Operation(operationId = "getSignedKeySet", summary = "Signed key set",
            description = "The public signing keys (the current and the next) as a compact JWS (typ jwk-set+jwt,"
                    + " claims iat, exp, keys) signed by the rotation key that products pin: a product trusts the"
                    + " keys it holds until exp, so it follows a key rotation without an update. Cache for up to 5"
                    + " minutes.")
    @APIResponse(responseCode = "200", description = "The signed key set", content = @Content(mediaType = JOSE,
            examples = @ExampleObject(name = "jws", value = "eyJ0eXAiOiJqd2stc2V0K2p3dCIsImtpZCI6InJvdGF0aW9uLTIwMjYiLCJhbGciOiJFZERTQSJ9"
                    + ".eyJrZXlzIjpbXSwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3Njc4MzA0MDB9.c2lnbmF0dXJl")))
    @APIResponse(responseCode = "404", description = "No rotation key is configured: no signed key set is served",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "406", description = "The Accept header allows neither application/jose nor"
            + " application/json",
            content = @Content(mediaType = "application/problem+json"))
    @SecurityRequirements({}) // public
    public Response keySet() {
        SignedKeySet set = keySet.orElseThrow(() -> Problems.notFound("signed key set"));
        return Response.ok(set.jws(), JOSE).header("Cache-Control", "public, max-age=300").build();
    }
}
