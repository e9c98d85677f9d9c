package org.licensing.validator.validation;

import java.time.Instant;
import java.util.Map;

/**
 * What a check sees: the request as parsed and the time of the check.
 *
 * @param fingerprint may be null (no machine checks)
 * @param usage reported usage by limit name (e.g. {@code gpus -> 8}); empty when not reported
 */
public record ValidationInput(String productCode, String fingerprint, Map<String, Long> usage, Instant now) {
    public ValidationInput {
        usage = usage == null ? Map.of() : Map.copyOf(usage);
    }
}
