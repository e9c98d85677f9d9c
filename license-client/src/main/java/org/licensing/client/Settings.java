package org.licensing.client;

import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.licensing.core.license.UsageRules;

/**
 * What {@link LicenseClient.Builder} collected, checked in one place ({@link #checked()}) before a client is built.
 * Exactly one of {@code validatorUrl}, {@code licenseFile} and {@code licenseFileText} is set.
 */
record Settings(URI validatorUrl, String productCode, String licenseKey, String pinnedKeys, Path cacheDirectory,
        FingerprintStrategy fingerprint, Duration connectTimeout, Duration requestTimeout, Clock clock,
        Duration clockTolerance, Duration heartbeatInterval, Path licenseFile, String licenseFileText,
        ProxySelector proxy, SSLContext sslContext) {

    /** Whether the client answers from a license file (air-gapped) rather than a validator. */
    boolean fileMode() {
        return validatorUrl == null;
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
        boolean file = licenseFile != null || licenseFileText != null;
        if ((validatorUrl == null) == !file || (licenseFile != null && licenseFileText != null)) {
            throw new LicenseClientException("Give exactly one of validatorUrl, licenseFile or licenseFileText");
        }
        if (validatorUrl != null) {
            checkUrl(validatorUrl);
            if (fingerprint == null) {
                throw new LicenseClientException("fingerprint is required with a validator URL (host(),"
                        + " kubernetesCluster(), supplied(...) or none())");
            }
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

    private static void checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (host == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new LicenseClientException("validatorUrl must be an absolute http(s) URL without query: " + url);
        }
        boolean loopback = host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new LicenseClientException("validatorUrl must use https (the license key travels in the"
                    + " request); plain http only for a loopback host: " + url);
        }
    }
}
