package org.licensing.support.signing;

import java.time.Duration;
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

    /**
     * Whether {@code /.well-known/jwks.json} and {@code /.well-known/jwks.jws} are served (a build-time switch of
     * {@link JwksResource} and {@link KeySetResource}).
     */
    @WithDefault("false")
    boolean publishJwks();

    /** The signed key set ({@code /.well-known/jwks.jws}); served only when a rotation key is configured. */
    KeySet keySet();

    interface KeySet {
        /** kid of the rotation key, the key products pin to trust key sets; never one of the signing kids. */
        Optional<String> rotationKid();

        /** The rotation key: path of a PKCS#8 Ed25519 PEM file, or the PEM text itself. */
        Optional<String> rotationKey();

        /** How long a served key set is valid ({@code exp - iat}); it is signed again after half of it. */
        @WithDefault("P7D")
        Duration validity();
    }
}
