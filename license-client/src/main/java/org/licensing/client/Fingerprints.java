package org.licensing.client;

import java.io.IOException;
import org.licensing.core.license.UsageRules;

/** This machine's fingerprint, computed once by the configured strategy and remembered. Thread-safe. */
final class Fingerprints {

    private final FingerprintStrategy strategy;
    private final String productCode;
    private final Object lock = new Object();
    private String value;
    private boolean known;

    Fingerprints(FingerprintStrategy strategy, String productCode) {
        this.strategy = strategy;
        this.productCode = productCode;
    }

    /**
     * The fingerprint, or null with the {@code none()} strategy.
     *
     * @throws LicenseClientException when the strategy cannot determine it, or gives an unusable one
     */
    String get() {
        synchronized (lock) {
            if (known) {
                return value;
            }
            String fp;
            try {
                fp = strategy.fingerprint(productCode);
            } catch (IOException | RuntimeException e) {
                throw new LicenseClientException("Cannot determine this machine's fingerprint: " + e.getMessage(), e);
            }
            if (fp != null && (fp.isEmpty() || fp.length() > LicenseClient.MAX_FINGERPRINT
                    || !UsageRules.printable(fp))) {
                throw new LicenseClientException("A fingerprint must be 1-" + LicenseClient.MAX_FINGERPRINT
                        + " printable ASCII characters");
            }
            value = fp;
            known = true;
            return fp;
        }
    }

    /** {@link #get()} where a machine must be named (activations, checkouts). */
    String require(String what) {
        String fp = get();
        if (fp == null) {
            throw new LicenseClientException(what + " needs a fingerprint strategy other than none()");
        }
        return fp;
    }
}
