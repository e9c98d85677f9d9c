package org.licensing.issuer.license;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

@Schema(name = "ChangeLicenseRequest", description = "Body of suspend, reinstate, revoke and regenerate-key (optional"
        + " when If-Match is sent).", example = Examples.CHANGE_LICENSE_REQUEST)
public record ChangeLicenseRequest(
        @Schema(description = "The version the change is based on; or send If-Match") @PositiveOrZero Long expectedVersion,
        @Size(max = 500) String reason) {
}
