package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What a check sees: the request as parsed and the time of the check.
 *
 * @param fingerprint may be null (no machine checks)
 * @param usage reported usage by limit name (e.g. {@code cuda.shares -> 2.5}), exact decimals; empty when not reported
 */
public record ValidationInput(String productCode, String fingerprint, Map<String, BigDecimal> usage, Instant now) {
    public ValidationInput {
        usage = usage == null ? Map.of() : Map.copyOf(usage);
    }
}
