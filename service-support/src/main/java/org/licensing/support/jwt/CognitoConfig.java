package org.licensing.support.jwt;

import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/**
 * Declares {@value CognitoAccessTokens#CLIENT_IDS} to Quarkus, which refuses unknown keys under a mapped root (the
 * issuer maps all of {@code licensing}). {@link CognitoAccessTokens#fromConfig} reads it, with the audience it must
 * not be combined with.
 */
@ConfigMapping(prefix = "licensing.jwt.cognito")
public interface CognitoConfig {

    /** App client ids whose access tokens are accepted without {@code aud}; empty: the mode is off. */
    Optional<Set<String>> clientIds();
}
