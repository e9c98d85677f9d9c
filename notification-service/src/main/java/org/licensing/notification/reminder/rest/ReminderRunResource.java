package org.licensing.notification.reminder.rest;

import java.time.LocalDate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.ResponseStatus;
import org.licensing.notification.openapi.Examples;
import org.licensing.notification.openapi.NotificationOpenApi;
import org.licensing.notification.reminder.ReminderRunService;
import org.licensing.notification.security.Roles;

/** On-demand runs and digests, for operators (role {@code reminders:run}). */
@Path("/v1/reminders")
@Tag(name = NotificationOpenApi.TAG_REMINDERS)
@SecurityRequirement(name = NotificationOpenApi.JWT)
@RolesAllowed(Roles.REMINDERS_RUN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReminderRunResource {

    private final ReminderRunService runs;

    public ReminderRunResource(ReminderRunService runs) {
        this.runs = runs;
    }

    @POST
    @Path("/runs")
    @Operation(operationId = "runReminders", summary = "Run the daily reminder run now for a date",
            description = "Reads the expiry-day buckets of every threshold for the date and queues one message per "
                    + "(active license, threshold). Safe to repeat: each reminder is still sent once.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DateRequest.class),
            examples = @ExampleObject(name = "date", value = Examples.DATE_REQUEST)))
    @APIResponse(responseCode = "200", description = "Run done: what it read and queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunResponse.class),
                    examples = @ExampleObject(name = "summary", value = Examples.RUN_RESPONSE)))
    @APIResponse(responseCode = "400", ref = NotificationOpenApi.INVALID_DATE)
    @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = NotificationOpenApi.FORBIDDEN)
    public RunResponse run(DateRequest request) {
        return RunResponse.of(runs.run(DateRequest.dayOf(request, runs.today())));
    }

    @POST
    @Path("/digests")
    @ResponseStatus(202)
    @Operation(operationId = "queueDigest", summary = "Queue the daily digest for a date",
            description = "The digest lists every license expiring in the 30 days from the date and goes to the "
                    + "vendor finance address, once per date however often it is queued.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DateRequest.class),
            examples = @ExampleObject(name = "date", value = Examples.DATE_REQUEST)))
    @APIResponse(responseCode = "202", description = "Digest queued; the consumer sends it once per date",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DigestResponse.class),
                    examples = @ExampleObject(name = "queued", value = Examples.DIGEST_RESPONSE)))
    @APIResponse(responseCode = "400", ref = NotificationOpenApi.INVALID_DATE)
    @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = NotificationOpenApi.FORBIDDEN)
    public DigestResponse digest(DateRequest request) {
        LocalDate date = DateRequest.dayOf(request, runs.today());
        runs.queueDigest(date);
        return new DigestResponse(date.toString(), true);
    }
}
