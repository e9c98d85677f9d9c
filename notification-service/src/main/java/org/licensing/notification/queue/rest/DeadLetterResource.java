package org.licensing.notification.reminder.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.support.problem.Problems;
import org.licensing.notification.queue.DeadLetterMonitor;

/** The dead-letter queue, for operators (role {@code reminders:run}). */
@Path("/v1/reminders/dead-letters")
@Tag(name = "reminders")
@SecurityRequirement(name = "jwt")
@RolesAllowed(ReminderRunResource.ROLE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    static final int MAX_REDRIVE = 10_000;

    @Schema(description = "Messages waiting in the dead-letter queue")
    public record DeadLetters(@Schema(example = "3") long depth) {
    }

    @Schema(description = "How many dead letters to move back (default and maximum 10000)")
    public record RedriveRequest(@Schema(example = "100") Integer max) {
    }

    @Schema(description = "Result of a redrive")
    public record RedriveResponse(@Schema(example = "3") int moved, @Schema(example = "0") long remaining) {
    }

    private final DeadLetterMonitor monitor;

    public DeadLetterResource(DeadLetterMonitor monitor) {
        this.monitor = monitor;
    }

    @GET
    @Operation(summary = "Depth of the dead-letter queue (ApproximateNumberOfMessages)")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "depth",
            value = "{\"depth\":3}")))
    public DeadLetters depth() {
        return new DeadLetters(monitor.refresh());
    }

    @POST
    @Path("/redrive")
    @Operation(summary = "Move dead letters back to the reminder queue",
            description = "Receives from the dead-letter queue, sends to the reminder queue, then deletes. Safe to "
                    + "repeat: a reminder already sent is not sent again.")
    @RequestBody(required = false, content = @Content(examples = @ExampleObject(name = "all",
            value = "{\"max\": 100}")))
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "moved",
            value = "{\"moved\":3,\"remaining\":0}")))
    @APIResponse(responseCode = "400", description = "max out of range (problem+json)")
    public RedriveResponse redrive(RedriveRequest request) {
        int max = request == null || request.max() == null ? MAX_REDRIVE : request.max();
        if (max < 1 || max > MAX_REDRIVE) {
            throw Problems.badRequest("max must be between 1 and " + MAX_REDRIVE);
        }
        int moved = monitor.redrive(max);
        return new RedriveResponse(moved, monitor.refresh());
    }
}
