package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.util.Map;

import org.licensing.validator.config.ValidatorConfig;
import org.licensing.support.problem.Problems;

/** Bounds on request fields, checked before any lookup; violations are 400 problem+json. */
public final class RequestRules {

    public static final int MAX_PRODUCT_CODE = 64;
    public static final int MAX_USAGE_ENTRIES = 32;
    public static final int MAX_LIMIT_NAME = 64;
    /** Reported usage is an exact decimal (fractional GPUs) up to 10^18 with at most 6 decimal places. */
    public static final int MAX_USAGE_DECIMALS = 6;
    public static final BigDecimal MAX_USAGE = BigDecimal.TEN.pow(18);

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

    public static void usage(Map<String, BigDecimal> usage) {
        if (usage == null) {
            return;
        }
        if (usage.size() > MAX_USAGE_ENTRIES) {
            throw Problems.badRequest("usage has more than " + MAX_USAGE_ENTRIES + " entries.");
        }
        usage.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.length() > MAX_LIMIT_NAME || !printable(name)) {
                throw Problems.badRequest("usage names must be 1-" + MAX_LIMIT_NAME + " printable ASCII characters.");
            }
            if (value == null || value.signum() < 0) {
                throw Problems.badRequest("usage." + name + " must be a non-negative number.");
            }
            BigDecimal v = value.stripTrailingZeros();
            if (v.scale() > MAX_USAGE_DECIMALS || v.compareTo(MAX_USAGE) > 0) {
                throw Problems.badRequest("usage." + name + " must be at most " + MAX_USAGE.toPlainString()
                        + " with at most " + MAX_USAGE_DECIMALS + " decimal places.");
            }
        });
    }

    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
