package org.licensing.support.signing;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Ed25519 signing keys of a service that signs (the issuer's license files, the validator's receipts). Every key
 * configured is published by {@link JwksResource}; only the active one signs.
 */
@ConfigMapping(prefix = "licensing.signing")
public interface SigningConfig {

    /** kid of the key that signs; required when keys are configured. */
    Optional<String> activeKid();

    /**
     * kid -> path of a PKCS#8 Ed25519 PEM file, or the PEM text itself (starts with {@code -----BEGIN}, handy in an
     * environment variable).
     */
    Map<String, String> keys();

    /** A directory with one {@code <kid>.pem} per key (a mounted secret); combined with {@link #keys()}. */
    Optional<String> keyDirectory();

    /** Alternative to {@link #keys()}: a private JWK Set JSON of Ed25519 keys (e.g. from a secret store). */
    Optional<String> jwkSet();

    /** Whether {@code /.well-known/jwks.json} is served (a build-time switch of {@link JwksResource}). */
    @WithDefault("false")
    boolean publishJwks();
}
