package org.licensing.issuer.config;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.licensing.core.crypto.SigningKeys;

/**
 * License-file signing keys from config ({@code licensing.signing.keys."<kid>"} = PEM file path). Without keys,
 * dev/test/local runs get an ephemeral key (logged as a warning); prod refuses to start.
 */
@ApplicationScoped
public class SigningKeysProducer {

    private static final Logger LOG = Logger.getLogger(SigningKeysProducer.class);

    @Produces
    @Singleton
    SigningKeys signingKeys(IssuerConfig config) {
        IssuerConfig.Signing signing = config.signing();
        if (signing.jwkSet().isPresent()) {
            String active = signing.activeKid().orElseThrow(() -> new IllegalStateException(
                    "licensing.signing.active-kid is required when signing keys are configured"));
            SigningKeys keys = SigningKeys.fromJwkSet(active, signing.jwkSet().get());
            LOG.infof("License signing keys loaded from JWK Set: %s (active %s)", keys.kids(), keys.activeKid());
            return keys;
        }
        if (signing.keys().isEmpty() && signing.keyDirectory().isEmpty()) {
            if (!config.ephemeralSecrets()) {
                throw new IllegalStateException("No license signing key configured: set licensing.signing.active-kid"
                        + " and licensing.signing.keys.\"<kid>\"=<path to PKCS#8 Ed25519 PEM>");
            }
            String kid = "ephemeral-" + UUID.randomUUID().toString().substring(0, 8);
            LOG.warnf("No license signing key configured: using EPHEMERAL key %s; license files signed now will not"
                    + " verify after a restart. Never run production like this.", kid);
            return SigningKeys.generate(kid);
        }
        SigningKeys keys = SigningKeys.fromConfig(signing.activeKid(), signing.keys(), signing.keyDirectory());
        LOG.infof("License signing keys loaded: %s (active %s)", keys.kids(), keys.activeKid());
        return keys;
    }
}
