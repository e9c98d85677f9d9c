package org.licensing.support.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.licensing.core.crypto.SigningKeys;

/**
 * Signing keys from {@link SigningConfig}. The one rule for missing keys: with {@code licensing.ephemeral-secrets}
 * (true in the dev, test and local profiles only) a fresh ephemeral key is generated with a WARN (what it signed will
 * not verify after a restart); otherwise the service refuses to start and says which properties to set.
 */
public class SigningKeysProducer {

    private static final Logger LOG = Logger.getLogger(SigningKeysProducer.class);

    @Produces
    @Singleton
    SigningKeys signingKeys(SigningConfig config,
            @ConfigProperty(name = "licensing.ephemeral-secrets", defaultValue = "false") boolean ephemeralSecrets) {
        if (config.jwkSet().isPresent()) {
            SigningKeys keys = SigningKeys.fromJwkSet(activeKid(config), config.jwkSet().get());
            LOG.infof("Signing keys loaded from a JWK Set: %s (active %s)", keys.kids(), keys.activeKid());
            return keys;
        }
        if (config.keys().isEmpty() && config.keyDirectory().filter(d -> !d.isBlank()).isEmpty()) {
            if (!ephemeralSecrets) {
                throw new IllegalStateException("No signing key configured: set licensing.signing.active-kid and"
                        + " licensing.signing.keys.\"<kid>\"=<path of a PKCS#8 Ed25519 PEM file> (or"
                        + " licensing.signing.key-directory)");
            }
            String kid = "ephemeral-" + UUID.randomUUID().toString().substring(0, 8);
            LOG.warnf("No signing key configured: using the EPHEMERAL key %s; what is signed now will not verify"
                    + " after a restart. Never run production like this.", kid);
            return SigningKeys.generate(kid);
        }
        String active = activeKid(config);
        Map<String, String> pems = pems(config);
        if (!pems.containsKey(active)) {
            throw new IllegalStateException("licensing.signing.active-kid " + active
                    + " is not among the configured signing keys " + new TreeMap<>(pems).keySet());
        }
        SigningKeys keys = SigningKeys.fromPem(active, pems);
        LOG.infof("Signing keys loaded: %s (active %s)", keys.kids(), keys.activeKid());
        return keys;
    }

    private static String activeKid(SigningConfig config) {
        return config.activeKid().filter(k -> !k.isBlank()).orElseThrow(() -> new IllegalStateException(
                "licensing.signing.active-kid is required when signing keys are configured"));
    }

    /** PEM text by kid: the key directory's files, then {@code keys} (each the PEM itself or a file path). */
    private static Map<String, String> pems(SigningConfig config) {
        Map<String, String> pems = new LinkedHashMap<>();
        config.keyDirectory().filter(d -> !d.isBlank()).ifPresent(dir -> {
            try {
                pems.putAll(SigningKeys.readPemDirectory(Path.of(dir)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read signing keys from licensing.signing.key-directory "
                        + dir + ": " + e, e);
            }
        });
        config.keys().forEach((kid, value) -> pems.put(kid, pem(kid, value)));
        return pems;
    }

    /** A configured key: the PEM text itself (starts with {@code -----BEGIN}) or the path of a PEM file. */
    static String pem(String kid, String value) {
        if (value.strip().startsWith("-----BEGIN")) {
            return value;
        }
        try {
            return Files.readString(Path.of(value), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing key " + kid + " from " + value + ": " + e, e);
        }
    }
}
