package org.licensing.relay.lease;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PUT /v1/leases/{id}}: the lease's node extends it. */
@Schema(name = "HeartbeatRequest", description = "A heartbeat from the node holding the lease")
public record HeartbeatRequest(
        @Schema(required = true, description = "The node's fingerprint (the one the lease was granted to)")
        @NotBlank @Size(max = 128) String fingerprint,
        @Schema(required = true, description = "A fresh nonce, echoed in the signed lease")
        @NotBlank @Size(max = 128) String nonce) {
}
