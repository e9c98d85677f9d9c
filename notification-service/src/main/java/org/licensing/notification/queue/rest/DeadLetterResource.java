package org.licensing.notification.queue.rest;

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
import org.licensing.notification.openapi.Examples;
import org.licensing.notification.openapi.NotificationOpenApi;
import org.licensing.notification.queue.DeadLetterMonitor;
import org.licensing.notification.security.Roles;
import org.licensing.support.problem.Problems;

/**
 * The dead-letter queue: its depth for the back office (roles {@code reminders:read} or {@code reminders:run}), the
 * redrive for operators ({@code reminders:run}).
 */
@Path("/v1/reminders/dead-letters")
@Tag(name = NotificationOpenApi.TAG_DEAD_LETTERS)
@SecurityRequirement(name = NotificationOpenApi.JWT)
@RolesAllowed(Roles.REMINDERS_RUN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    static final int MAX_REDRIVE = 10_000;

    @Schema(description = "Messages waiting in the dead-letter queue")
    public record DeadLetters(@Schema(description = "Messages in the dead-letter queue (ApproximateNumberOfMessages)",
            example = Examples.DEAD_LETTER_DEPTH, minimum = "0") long depth) {
    }

    @Schema(description = "How many dead letters to move back (default and maximum 10000)")
    public record RedriveRequest(@Schema(example = Examples.REDRIVE_MAX, minimum = "1", maximum = "10000")
            Integer max) {

        /**
         * The number of dead letters {@code request} asks to move ({@link #MAX_REDRIVE} when it names none).
         *
         * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 {@code invalid-request} outside 1 to 10000
         */
        static int maxOf(RedriveRequest request) {
            int max = request == null || request.max() == null ? MAX_REDRIVE : request.max();
            if (max < 1 || max > MAX_REDRIVE) {
                throw Problems.badRequest("max must be between 1 and " + MAX_REDRIVE);
            }
            return max;
        }
    }

    @Schema(description = "Result of a redrive")
    public record RedriveResponse(@Schema(example = Examples.MOVED) int moved,
            @Schema(example = Examples.REMAINING) long remaining) {
    }

    private final DeadLetterMonitor monitor;

    public DeadLetterResource(DeadLetterMonitor monitor) {
        this.monitor = monitor;
    }

    @GET
    @RolesAllowed({Roles.REMINDERS_READ, Roles.REMINDERS_RUN})
    @Operation(operationId = "getDeadLetterDepth",
            summary = "Depth of the dead-letter queue (ApproximateNumberOfMessages)",
            description = "Role reminders:read or reminders:run. `depth` is the queue's ApproximateNumberOfMessages,"
                    + " read from SQS on each call.")
    @APIResponse(responseCode = "200", description = "Messages waiting in the dead-letter queue",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DeadLetters.class),
                    examples = @ExampleObject(name = "depth", value = Examples.DEAD_LETTERS)))
    @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = NotificationOpenApi.FORBIDDEN)
    public DeadLetters depth() {
        return new DeadLetters(monitor.refresh());
    }

    @POST
    @Path("/redrive")
    @Operation(operationId = "redriveDeadLetters", summary = "Move dead letters back to the reminder queue",
            description = "Role reminders:run. Receives from the dead-letter queue, sends to the reminder queue, then"
                    + " deletes. Safe to repeat: a reminder already sent is not sent again.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RedriveRequest.class),
            examples = @ExampleObject(name = "max", value = Examples.REDRIVE_REQUEST)))
    @APIResponse(responseCode = "200", description = "How many moved, and how many are left",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RedriveResponse.class),
                    examples = @ExampleObject(name = "moved", value = Examples.REDRIVE_RESPONSE)))
    @APIResponse(responseCode = "400", description = "max out of range (invalid-request), or a malformed body or an"
            + " unknown field (malformed-request-body)",
            content = @Content(mediaType = NotificationOpenApi.PROBLEM,
                    schema = @Schema(ref = NotificationOpenApi.PROBLEM_SCHEMA),
                    examples = @ExampleObject(name = "invalid-max", value = Examples.INVALID_REDRIVE_PROBLEM)))
    @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = NotificationOpenApi.FORBIDDEN)
    public RedriveResponse redrive(RedriveRequest request) {
        int moved = monitor.redrive(RedriveRequest.maxOf(request));
        return new RedriveResponse(moved, monitor.refresh());
    }
}
