package org.licensing.relay.lease;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/leases}: a node asks for quantities. */
@Schema(name = "LeaseRequest", description = "A node's request for part of the site's pool")
public record LeaseRequest(
        @Schema(required = true, description = "The node's fingerprint (1-128 printable ASCII, no spaces)",
                example = "host-3f2a9c0e1b7d4a5f8e6c2b1a0d9f8e7c6b5a4d3c2b1a0f9e8d7c6b5a4d3c2b1a")
        @NotBlank @Size(max = 128) String fingerprint,
        @Schema(required = true, description = "The node's nonce, echoed in the signed lease (1-128 characters)",
                example = "b3c1f0a2-7d1e-4c55-9a0e-2f4f6c1d9e11")
        @NotBlank @Size(max = 128) String nonce,
        @Schema(required = true, description = "Quantities by name, exact decimals (at most 6 decimal places);"
                + " names as in the license's limits; nodes, when given, must be 1",
                example = "{\"cuda.device\": 8, \"cuda.shares\": 2.5, \"nodes\": 1}")
        @NotNull @NotEmpty @Size(max = 64) Map<String, BigDecimal> quantities) {
}
