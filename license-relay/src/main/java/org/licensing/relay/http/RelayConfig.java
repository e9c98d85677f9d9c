package org.licensing.relay.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code licensing.relay.*}: every property is listed in the module README ("Configuration"). */
@ConfigMapping(prefix = "licensing.relay")
public interface RelayConfig {

    /** The relay's own directory (key, usage log, reports, checkout request, checkout). */
    Path dataDir();

    /** The license key, inline (prefer {@link #licenseKeyFile()}). */
    Optional<String> licenseKey();

    /** A file holding the license key. */
    Optional<Path> licenseKeyFile();

    /** The product code. */
    String product();

    /** The site fingerprint. */
    FingerprintConfig fingerprint();

    /** The vendor's public keys (JWK Set JSON), inline. */
    Optional<String> vendorKeys();

    /** A file holding the vendor's public keys (JWK Set JSON). */
    Optional<Path> vendorKeysFile();

    /** The {@code iss} a checkout must carry; empty: any. */
    Optional<String> vendorIssuer();

    /** Where the checkout is read from; default {@code <data-dir>/checkout.jwe}. */
    Optional<Path> checkoutFile();

    /** How long a lease runs from its grant or last heartbeat. */
    @WithDefault("PT2M")
    Duration leaseTtl();

    /** How often ended leases are reaped and the checkout file re-read. */
    @WithDefault("PT5S")
    Duration tickInterval();

    /** Fold the usage log's records a new usage report covers into a signed checkpoint (on the next tick). */
    @WithDefault("true")
    boolean compactAfterReport();

    /** Tolerance for the site's clock against signed times. */
    @WithDefault("PT5M")
    Duration clockSkew();

    /** Text for people in the checkout request (site name). */
    Optional<String> label();

    /** The admin token, inline (prefer {@link #adminTokenFile()}). */
    Optional<String> adminToken();

    /** A file holding the admin token. */
    Optional<Path> adminTokenFile();

    /** The site fingerprint: {@code host}, {@code kubernetes} or {@code supplied}. */
    interface FingerprintConfig {

        @WithDefault("host")
        String strategy();

        /** The value for {@code supplied}. */
        Optional<String> value();

        /** For {@code host}: the machine-id file; default {@code /etc/machine-id}, then {@code /var/lib/dbus/machine-id}. */
        Optional<Path> machineIdFile();
    }
}
