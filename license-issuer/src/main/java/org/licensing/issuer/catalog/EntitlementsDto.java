package org.licensing.issuer.catalog;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.license.Entitlements;
import org.licensing.support.problem.Problems;
import org.licensing.issuer.openapi.Examples;

/**
 * Feature flags and numeric limits named like the product's resources (e.g. {@code cuda.device}, {@code cuda.shares},
 * {@code rocm.device}, {@code cpu}, {@code mem}, {@code nodes}): the API form of license-core's {@link Entitlements},
 * as policies define them and licenses carry them. Limits are exact decimals ({@code "cuda.shares": 2.5}); whole
 * numbers stay whole.
 */
@Schema(name = "Entitlements", example = Examples.ENTITLEMENTS)
public record EntitlementsDto(
        @Size(max = 64) Map<@NotNull @Pattern(regexp = NAME, message = NAME_MESSAGE) String, @NotNull Boolean> features,
        @Size(max = 64) Map<@NotNull @Pattern(regexp = NAME, message = NAME_MESSAGE) String,
                @NotNull @PositiveOrZero BigDecimal> limits) {

    public static final String NAME = "[A-Za-z][A-Za-z0-9_.-]{0,63}";
    public static final String NAME_MESSAGE = "must be a name of 1-64 letters, digits, '_', '.', '-' starting with a letter";

    /**
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 when a limit is too large or too precise (at most
     *     {@value Entitlements#MAX_FRACTION_DIGITS} decimal places and {@value Entitlements#MAX_FRACTION_PRECISION}
     *     significant digits for a fraction)
     */
    public Entitlements toEntitlements() {
        try {
            return new Entitlements(features, limits);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
    }

    public static EntitlementsDto of(Entitlements e) {
        return new EntitlementsDto(e.features(), e.limits());
    }
}
