package org.licensing.relay.status;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelayStatus;
import org.licensing.relay.http.RelayService;
import org.licensing.relay.openapi.RelayOpenApi;
import org.licensing.relay.pool.PoolLimits;

/** {@code GET /v1/relay} (what the relay serves and why not) and {@code GET /v1/ping} (the benchmark baseline). */
@Path("/v1")
@Tag(name = "Relay", description = "The relay's state and a trivial answer")
@SecurityRequirements
public class StatusResource {

    private final RelayService service;

    public StatusResource(RelayService service) {
        this.service = service;
    }

    /** The checkout served. */
    @Schema(name = "ServedCheckout")
    public record CheckoutView(UUID id, long sequence, Instant until, Instant licenseExpiresAt) {
    }

    /** The pool: limits and live use. */
    @Schema(name = "Pool")
    public record PoolView(Map<String, BigDecimal> limits, Map<String, BigDecimal> used, int nodes,
            @Schema(description = "Absent: no node limit") Long maxNodes) {
    }

    @Schema(name = "RelayState")
    public record StateView(boolean serving,
            @Schema(description = "SERVING, NO_CHECKOUT, CHECKOUT_INVALID, CHECKOUT_NOT_YET_VALID, CHECKOUT_EXPIRED,"
                    + " WRONG_SITE, DATA_TAMPERED, CLOCK_BEHIND, FINGERPRINT_UNAVAILABLE, STORAGE_FAILED") String code,
            String message, String licenseId, String product, String fingerprint, String relayKid,
            CheckoutView checkout, PoolView pool) {
    }

    @GET
    @Path("/relay")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "relayState", summary = "What the relay serves",
            description = "Serving or not and why, the site fingerprint, the relay key id, the checkout and the"
                    + " pool (limits, live use).")
    @APIResponse(responseCode = "200", description = "The state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StateView.class)))
    @APIResponse(responseCode = "406", description = "The Accept header does not allow application/json",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    public StateView state() {
        Relay relay = service.relay();
        RelayStatus s = relay.status();
        Relay.Served served = relay.served();
        CheckoutView checkout = served == null ? null : new CheckoutView(served.document().checkoutId(),
                served.document().sequence(), served.document().until(), served.document().license().expiresAt());
        PoolView pool = null;
        if (served != null) {
            Relay.PoolView p = relay.pool();
            pool = new PoolView(p.limits().limits(), p.used(), p.nodes(),
                    p.limits().maxNodes() == PoolLimits.UNLIMITED ? null : p.limits().maxNodes());
        }
        return new StateView(s.serving(), s.code().name(), s.message(),
                relay.settings().licenseKey().licenseId().toString(), relay.settings().product(), relay.fingerprint(),
                relay.key() == null ? null : relay.key().kid(), checkout, pool);
    }

    @GET
    @Path("/ping")
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "ping", summary = "Trivial static answer",
            description = "Always {\"status\":\"ok\"}; the benchmark's baseline through the same HTTP stack.")
    @APIResponse(responseCode = "200", description = "Up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "406", description = "The Accept header does not allow application/json",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    public String ping() {
        return "{\"status\":\"ok\"}";
    }
}
