package org.licensing.client;

import java.math.BigDecimal;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.licensing.core.license.UsageRules;

/**
 * What {@link LicenseClient.Builder} collected, checked in one place ({@link #checked()}) before a client is built.
 * Exactly one of {@code validatorUrl}, {@code relayUrl}, {@code licenseFile} and {@code licenseFileText} is set.
 */
record Settings(URI validatorUrl, URI relayUrl, Map<String, BigDecimal> leaseQuantities, String productCode,
        String licenseKey, String pinnedKeys, Path cacheDirectory, FingerprintStrategy fingerprint,
        Duration connectTimeout, Duration requestTimeout, Clock clock, Duration clockTolerance,
        Duration heartbeatInterval, Path licenseFile, String licenseFileText, ProxySelector proxy,
        SSLContext sslContext) {

    /** Whether the client answers from a license file (air-gapped) rather than a validator or a relay. */
    boolean fileMode() {
        return licenseFile != null || licenseFileText != null;
    }

    /**
     * These settings when complete and valid.
     *
     * @throws LicenseClientException naming what is missing or wrong
     */
    Settings checked() {
        if (productCode == null || productCode.isEmpty() || productCode.length() > LicenseClient.MAX_NAME
                || !UsageRules.printable(productCode)) {
            throw new LicenseClientException("productCode must be 1-" + LicenseClient.MAX_NAME
                    + " printable ASCII characters");
        }
        if (licenseKey == null) {
            throw new LicenseClientException("licenseKey is required");
        }
        if (pinnedKeys == null) {
            throw new LicenseClientException("pinnedKeys (the vendor's public JWK Set) is required");
        }
        int modes = (validatorUrl != null ? 1 : 0) + (relayUrl != null ? 1 : 0) + (licenseFile != null ? 1 : 0)
                + (licenseFileText != null ? 1 : 0);
        if (modes != 1) {
            throw new LicenseClientException("Give exactly one of validatorUrl, relayUrl, licenseFile or"
                    + " licenseFileText");
        }
        if (validatorUrl != null) {
            checkUrl(validatorUrl, "validatorUrl", true);
            if (fingerprint == null) {
                throw new LicenseClientException("fingerprint is required with a validator URL (host(),"
                        + " kubernetesCluster(), supplied(...) or none())");
            }
        }
        if (relayUrl != null) {
            // The license key never travels to a relay (the answer is checked against the pinned keys): plain http
            // on the site's network is allowed.
            checkUrl(relayUrl, "relayUrl", false);
            if (fingerprint == null) {
                throw new LicenseClientException("fingerprint is required with a relay URL: a lease is for one node"
                        + " (host(), kubernetesCluster() or supplied(...))");
            }
            if (leaseQuantities == null || leaseQuantities.isEmpty()) {
                throw new LicenseClientException("leaseQuantities (what this node leases, e.g. cuda.device 8) is"
                        + " required with a relay URL");
            }
            try {
                UsageRules.check(leaseQuantities);
            } catch (IllegalArgumentException e) {
                throw new LicenseClientException("Bad leaseQuantities: " + e.getMessage(), e);
            }
        } else if (leaseQuantities != null) {
            throw new LicenseClientException("leaseQuantities applies to relay mode only (relayUrl)");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(clock, "clock");
        if (clockTolerance == null || clockTolerance.isNegative()) {
            throw new LicenseClientException("clockTolerance must not be negative");
        }
        if (heartbeatInterval != null) {
            requirePositive(heartbeatInterval, "heartbeatInterval");
        }
        return this;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new LicenseClientException(name + " must be positive");
        }
    }

    private static void checkUrl(URI url, String name, boolean httpsOffLoopback) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (host == null || url.getRawQuery() != null || url.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new LicenseClientException(name + " must be an absolute http(s) URL without query: " + url);
        }
        boolean loopback = host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (httpsOffLoopback && !scheme.equals("https") && !loopback) {
            throw new LicenseClientException(name + " must use https (the license key travels in the"
                    + " request); plain http only for a loopback host: " + url);
        }
    }
}
