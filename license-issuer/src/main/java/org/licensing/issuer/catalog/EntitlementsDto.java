package org.licensing.issuer.catalog;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.license.Entitlements;
import org.licensing.issuer.openapi.Examples;

/**
 * Feature flags and numeric limits (e.g. {@code gpus}, {@code nodes}, {@code cpuCores}, {@code sessions}): the API
 * form of license-core's {@link Entitlements}, as policies define them and licenses carry them.
 */
@Schema(name = "Entitlements", example = Examples.ENTITLEMENTS)
public record EntitlementsDto(
        @Size(max = 64) Map<@NotNull @Pattern(regexp = NAME, message = NAME_MESSAGE) String, @NotNull Boolean> features,
        @Size(max = 64) Map<@NotNull @Pattern(regexp = NAME, message = NAME_MESSAGE) String,
                @NotNull @PositiveOrZero Long> limits) {

    public static final String NAME = "[A-Za-z][A-Za-z0-9_.-]{0,63}";
    public static final String NAME_MESSAGE = "must be a name of 1-64 letters, digits, '_', '.', '-' starting with a letter";

    public Entitlements toEntitlements() {
        return new Entitlements(features, limits);
    }

    public static EntitlementsDto of(Entitlements e) {
        return new EntitlementsDto(e.features(), e.limits());
    }
}
