package org.licensing.notification.reminder.rest;

import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.notification.openapi.Examples;
import org.licensing.notification.openapi.NotificationOpenApi;
import org.licensing.notification.reminder.ReminderHistory;
import org.licensing.notification.security.Roles;
import org.licensing.support.problem.Problems;

/** A license's reminders, for the back office (roles {@code reminders:read} or {@code reminders:run}). */
@Path("/v1/licenses/{licenseId}/reminders")
@Tag(name = NotificationOpenApi.TAG_REMINDERS)
@SecurityRequirement(name = NotificationOpenApi.JWT)
@RolesAllowed({Roles.REMINDERS_READ, Roles.REMINDERS_RUN})
@Produces(MediaType.APPLICATION_JSON)
public class LicenseRemindersResource {

    /** License ids are UUIDs; anything far from one is no license (and never reaches DynamoDB as a key). */
    private static final Pattern LICENSE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final ReminderHistory history;

    public LicenseRemindersResource(ReminderHistory history) {
        this.history = history;
    }

    @GET
    @Operation(operationId = "listLicenseReminders", summary = "The reminders of a license",
            description = "Role reminders:read or reminders:run. The send ledger of the license's current expiry day: one item per threshold whose reminder"
                    + " was sent or is being sent, furthest threshold first; an empty list when none was. Reminders"
                    + " of an earlier expiry (before a renewal) are not listed.")
    @APIResponse(responseCode = "200", description = "The license's reminders (possibly none)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LicenseRemindersResponse.class),
                    examples = {@ExampleObject(name = "sent", value = Examples.LICENSE_REMINDERS),
                        @ExampleObject(name = "none", value = Examples.NO_REMINDERS)}))
    @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = NotificationOpenApi.FORBIDDEN)
    @APIResponse(responseCode = "404", description = "No license has this id (not-found)",
            content = @Content(mediaType = NotificationOpenApi.PROBLEM,
                    schema = @Schema(ref = NotificationOpenApi.PROBLEM_SCHEMA),
                    examples = @ExampleObject(name = "not-found", value = Examples.LICENSE_NOT_FOUND_PROBLEM)))
    public LicenseRemindersResponse list(@Parameter(description = "The license's id", example = Examples.LICENSE_ID)
            @PathParam("licenseId") String licenseId) {
        if (!LICENSE_ID.matcher(licenseId).matches()) {
            throw Problems.notFound("The license"); // not echoed: it is no id
        }
        return history.of(licenseId).map(LicenseRemindersResponse::of)
                .orElseThrow(() -> Problems.notFound("License " + licenseId));
    }
}
