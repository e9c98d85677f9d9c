package org.licensing.validator.config;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Receipt signing keys, shared convention with the issuer: {@code licensing.signing.active-kid} and
 * {@code licensing.signing.keys."<kid>"} = path of a PKCS#8 Ed25519 PEM file (or the PEM text), and/or
 * {@code licensing.signing.key-directory} = a directory with one {@code <kid>.pem} per key (a mounted secret).
 */
@ConfigMapping(prefix = "licensing.signing")
public interface SigningConfig {

    Optional<String> activeKid();

    Map<String, String> keys();

    Optional<String> keyDirectory();
}
