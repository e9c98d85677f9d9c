package org.licensing.notification.reminder.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.notification.reminder.ReminderRuns;

/** On-demand runs, for operators (role {@code reminders:run}). */
@Path("/v1/reminders")
@Tag(name = "reminders")
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityRequirement(name = "jwt")
@RolesAllowed(ReminderRunResource.ROLE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReminderRunResource {

    public static final String ROLE = "reminders:run";

    private final ReminderRuns runs;

    public ReminderRunResource(ReminderRuns runs) {
        this.runs = runs;
    }

    @POST
    @Path("/runs")
    @Operation(summary = "Run the daily reminder run now for a date",
            description = "Reads the expiry-day buckets of every threshold for the date and queues one message per "
                    + "(active license, threshold). Safe to repeat: each reminder is still sent once.")
    @RequestBody(required = false, content = @Content(examples = @ExampleObject(name = "date",
            value = "{\"date\": \"2026-12-01\"}")))
    @APIResponse(responseCode = "200", description = "Run done", content = @Content(examples = @ExampleObject(
            name = "summary", value = "{\"date\":\"2026-12-01\",\"thresholdsDays\":[60,30,7,1,0],"
                    + "\"licensesRead\":42,\"itemsRead\":42,\"messagesQueued\":40}")))
    @APIResponse(responseCode = "400", description = "Invalid date (problem+json)")
    @APIResponse(responseCode = "401", description = "No or invalid bearer token")
    @APIResponse(responseCode = "403", description = "Token lacks role reminders:run")
    public RunResponse run(DateRequest request) {
        return RunResponse.of(runs.run(DateRequest.dayOf(request, runs.today())));
    }

    @POST
    @Path("/digests")
    @Operation(summary = "Queue the daily digest for a date",
            description = "The digest lists every license expiring in the 30 days from the date and goes to the "
                    + "vendor finance address, once per date however often it is queued.")
    @RequestBody(required = false, content = @Content(examples = @ExampleObject(name = "date",
            value = "{\"date\": \"2026-12-01\"}")))
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(examples = @ExampleObject(
            name = "queued", value = "{\"date\":\"2026-12-01\",\"queued\":true}")))
    @APIResponse(responseCode = "400", description = "Invalid date (problem+json)")
    public Response digest(DateRequest request) {
        var date = DateRequest.dayOf(request, runs.today());
        runs.queueDigest(date);
        return Response.accepted(new DigestResponse(date.toString(), true)).build();
    }
}
