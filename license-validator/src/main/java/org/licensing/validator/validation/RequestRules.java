package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.util.Map;

import org.licensing.core.license.UsageRules;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.support.problem.Problems;

/** Bounds on request fields, checked before any lookup; violations are 400 problem+json. */
public final class RequestRules {

    public static final int MAX_PRODUCT_CODE = 64;

    private RequestRules() {
    }

    public static void nonce(String nonce, ValidatorConfig config) {
        if (nonce == null || nonce.isEmpty()) {
            throw Problems.badRequest("nonce is required: a fresh random value per request, echoed in the receipt.");
        }
        if (nonce.length() > config.nonceMaxLength() || !printable(nonce)) {
            throw Problems.badRequest("nonce must be 1-" + config.nonceMaxLength() + " printable ASCII characters.");
        }
    }

    public static void productCode(String productCode) {
        if (productCode == null || productCode.isEmpty()) {
            throw Problems.badRequest("productCode is required.");
        }
        if (productCode.length() > MAX_PRODUCT_CODE || !printable(productCode)) {
            throw Problems.badRequest("productCode must be 1-" + MAX_PRODUCT_CODE + " printable ASCII characters.");
        }
    }

    /** Null is allowed (no machine); otherwise 1..max printable ASCII. */
    public static void fingerprint(String fingerprint, ValidatorConfig config, boolean required) {
        if (fingerprint == null || fingerprint.isEmpty()) {
            if (required) {
                throw Problems.badRequest("fingerprint is required.");
            }
            if (fingerprint != null) {
                throw Problems.badRequest("fingerprint must not be empty; omit it instead.");
            }
            return;
        }
        if (fingerprint.length() > config.fingerprintMaxLength() || !printable(fingerprint)) {
            throw Problems.badRequest("fingerprint must be 1-" + config.fingerprintMaxLength()
                    + " printable ASCII characters.");
        }
    }

    /** The usage rules the SDK applies too (license-core's {@link UsageRules}). */
    public static void usage(Map<String, BigDecimal> usage) {
        try {
            UsageRules.check(usage);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
    }

    static boolean printable(String s) {
        return UsageRules.printable(s);
    }
}
