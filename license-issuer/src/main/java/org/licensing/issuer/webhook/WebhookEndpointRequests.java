package org.licensing.issuer.webhook;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the webhook endpoint operations. */
public final class WebhookEndpointRequests {

    private WebhookEndpointRequests() {
    }

    @Schema(name = "CreateWebhookEndpoint")
    public record Create(
            @NotBlank @Size(max = WebhookUrl.MAX_LENGTH) @Schema(description = "https (http only in local and test"
                    + " setups); its host must not be or resolve to an internal address") String url,
            @Size(max = 200) String description,
            @Size(max = 50) @Schema(description = "Event types to receive; absent or empty: every type")
            List<String> eventTypes,
            @Schema(description = "Default true") Boolean enabled) {
    }

    /** Absent fields stay as they are. Enabling a disabled endpoint clears its reason and failure streak. */
    @Schema(name = "UpdateWebhookEndpoint")
    public record Update(@Size(max = WebhookUrl.MAX_LENGTH) String url, @Size(max = 200) String description,
            @Size(max = 50) List<String> eventTypes, Boolean enabled) {
    }

    @Schema(name = "RotateWebhookSecret")
    public record Rotate(@Schema(description = "How long the previous secret keeps signing (ISO-8601, PT0S to"
            + " P7D; default the operator's licensing.webhooks.rotation-overlap)", example = "PT24H")
    Duration overlap) {
    }
}
