package org.licensing.relay.lease;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A granted or extended lease: the facts, the signed lease and the checkout that certifies the relay key
 * (signed, and as issued: a node verifies the chain with license-core's {@code LeaseVerifier}). */
@Schema(name = "Lease", description = "A lease and its proof: verify lease (relay key) -> checkout (vendor key)")
public record LeaseAnswerDto(
        @Schema(required = true, description = "Lease id: heartbeat and release it with this id") UUID leaseId,
        @Schema(required = true, description = "The node's fingerprint") String fingerprint,
        @Schema(required = true, description = "The node's nonce, echoed") String nonce,
        @Schema(required = true, description = "When the lease ends unless a heartbeat extends it (never after the"
                + " checkout's end)") Instant leaseUntil,
        @Schema(required = true, description = "What the node holds") Map<String, BigDecimal> quantities,
        @Schema(required = true, description = "Compact JWS, typ lease+jwt, signed by the relay key: claims jti,"
                + " iat, exp, lease_until, nonce, fingerprint, quantities, license_id, product, chk, site")
        String lease,
        @Schema(required = true, description = "The relay checkout: compact JWS, typ checkout+jwt, signed by the"
                + " vendor; its relay_key claim is the key the lease is signed with") String checkout,
        @Schema(required = true, description = "The same relay checkout as the vendor issued it (compact JWE): a"
                + " node opens it with its license key, which proves it was made for this license key") String
        checkoutFile) {
}
