package org.licensing.validator.receipt;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.validator.config.SigningConfig;

import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Receipt signing keys from {@code licensing.signing.*} (PEM text or PEM file path by kid). Without keys, dev/test/local
 * profiles get an ephemeral key (logged as a WARN); any other profile refuses to start.
 */
public class SigningKeysProducer {

    private static final Logger LOG = Logger.getLogger(SigningKeysProducer.class);
    private static final List<String> EPHEMERAL_PROFILES = List.of("dev", "test", "local");

    @Produces
    @Singleton
    SigningKeys signingKeys(SigningConfig config) {
        if (config.keys().isEmpty() && config.keyDirectory().isEmpty()) {
            List<String> profiles = ConfigUtils.getProfiles();
            if (profiles.stream().noneMatch(EPHEMERAL_PROFILES::contains)) {
                throw new IllegalStateException("No receipt signing keys configured: set licensing.signing.active-kid"
                        + " and licensing.signing.keys.\"<kid>\"=<path of a PKCS#8 Ed25519 PEM file>");
            }
            String kid = "ephemeral-" + Long.toHexString(System.nanoTime());
            LOG.warnf("No licensing.signing.keys configured: signing receipts with an EPHEMERAL key %s (profiles %s);"
                    + " receipts will not verify after a restart", kid, profiles);
            return SigningKeys.generate(kid);
        }
        SigningKeys keys = SigningKeys.fromConfig(config.activeKid(), config.keys(), config.keyDirectory());
        LOG.infof("Receipt signing keys loaded: active %s, live %s", keys.activeKid(), keys.kids());
        return keys;
    }
}
