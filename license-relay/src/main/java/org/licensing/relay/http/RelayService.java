package org.licensing.relay.http;

import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.licensing.client.FingerprintStrategy;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelaySettings;

/**
 * The one {@link Relay} of this process, built from {@code licensing.relay.*} at startup, with its periodic tick
 * (reaping ended leases, picking up a changed checkout file). A configuration error stops the start with a
 * message naming the property; a site problem (no checkout, another site, a tampered directory) does not: the relay
 * runs, answers 503 and its health says why.
 */
@Singleton
public class RelayService {

    private static final Logger LOG = Logger.getLogger(RelayService.class);

    private final RelayConfig config;
    private final Relay relay;
    private ScheduledExecutorService ticker;

    RelayService(RelayConfig config) {
        this.config = config;
        this.relay = new Relay(settings(config), Clock.systemUTC());
    }

    void start(@Observes StartupEvent event) {
        relay.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-tick");
            t.setDaemon(true);
            return t;
        });
        long ms = config.tickInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                relay.tick();
                if (config.compactAfterReport()) {
                    relay.compactIfReported();
                }
            } catch (RuntimeException e) {
                LOG.error("license-relay: periodic tick failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        relay.close();
    }

    public Relay relay() {
        return relay;
    }

    static RelaySettings settings(RelayConfig c) {
        String keyText = secret(c.licenseKey(), c.licenseKeyFile(), "licensing.relay.license-key");
        LicenseKey key;
        try {
            key = LicenseKey.parse(keyText);
        } catch (MalformedLicenseKeyException e) {
            throw new IllegalStateException("licensing.relay.license-key is not a license key: " + e.getMessage(), e);
        }
        String jwks = secret(c.vendorKeys(), c.vendorKeysFile(), "licensing.relay.vendor-keys");
        JWKSet vendor;
        try {
            vendor = JWKSet.parse(jwks);
        } catch (ParseException e) {
            throw new IllegalStateException("licensing.relay.vendor-keys is not a JWK Set: " + e.getMessage(), e);
        }
        if (vendor.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            throw new IllegalStateException("licensing.relay.vendor-keys must hold public keys only");
        }
        return new RelaySettings(c.dataDir(), key, c.product(), fingerprint(c.fingerprint()), vendor,
                c.vendorIssuer().filter(s -> !s.isBlank()).orElse(null), c.checkoutFile().orElse(null), c.leaseTtl(),
                c.clockSkew(), c.label().filter(s -> !s.isBlank()).orElse(null));
    }

    static FingerprintStrategy fingerprint(RelayConfig.FingerprintConfig f) {
        return switch (f.strategy().toLowerCase(Locale.ROOT)) {
            case "host" -> f.machineIdFile().map(FingerprintStrategy::host).orElseGet(FingerprintStrategy::host);
            case "kubernetes" -> FingerprintStrategy.kubernetesCluster();
            case "supplied" -> FingerprintStrategy.supplied(f.value().filter(v -> !v.isBlank()).orElseThrow(() ->
                    new IllegalStateException("licensing.relay.fingerprint.value is required with strategy supplied")));
            default -> throw new IllegalStateException("licensing.relay.fingerprint.strategy must be host, kubernetes"
                    + " or supplied, not " + f.strategy());
        };
    }

    /** An inline value or the content of a file (stripped); exactly one of them. */
    static String secret(Optional<String> inline, Optional<Path> file, String property) {
        if (inline.filter(s -> !s.isBlank()).isPresent()) {
            return inline.get().strip();
        }
        if (file.isPresent()) {
            try {
                return Files.readString(file.get(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + property + "-file " + file.get(), e);
            }
        }
        throw new IllegalStateException(property + " (or " + property + "-file) is required");
    }
}
