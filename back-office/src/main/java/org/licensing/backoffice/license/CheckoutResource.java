package org.licensing.backoffice.license;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/**
 * Checkouts from the license page: an operator pastes or uploads the checkout request a machine wrote, and gets the
 * checkout file to carry back; or returns a machine's checkout. licenses:write only; forms carry the CSRF token.
 */
@Path("/licenses/{id}/checkouts")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class CheckoutResource extends PageResource {

    /** A checkout request is a few hundred bytes; the issuer refuses texts over 16 KiB. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    @Inject
    public CheckoutResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    @Path("/new")
    public TemplateInstance form(@RestPath String id) {
        user.require(CurrentUser.LICENSES_WRITE);
        JsonNode license = apis.issuerGet("/v1/licenses/" + Query.enc(id));
        return page.of("licenses/checkout").data("license", apis.map(license))
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Consumes({MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED})
    public Response checkOut(@RestPath String id, @RestForm String request, @RestForm("requestFile") FileUpload file,
            @RestForm Integer durationDays, @RestForm String reason, @RestForm String idempotencyKey) {
        user.require(CurrentUser.LICENSES_WRITE);
        String text = request == null ? "" : request.strip();
        if (file != null && file.size() > 0) {
            if (file.size() > MAX_REQUEST_BYTES) {
                throw invalid("The uploaded file is larger than " + MAX_REQUEST_BYTES + " bytes: not a checkout request.");
            }
            try {
                text = Files.readString(file.uploadedFile(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw invalid("The uploaded file cannot be read as UTF-8 text.");
            }
        }
        if (text.isEmpty()) {
            throw invalid("Paste the checkout request or upload its file.");
        }
        if (durationDays == null) {
            throw invalid("Give the number of days the checkout runs.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request", text);
        body.put("durationDays", durationDays);
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason.trim());
        }
        JsonNode issued = apis.issuer().post("/v1/licenses/" + Query.enc(id) + "/checkouts", body,
                IdempotencyKey.header(idempotencyKey), apis.token()).body();
        String jwe = issued.path("file").asText();
        return Response.status(201).entity(page.of("licenses/checkout-file").data("checkout", apis.map(issued))
                        .data("file", jwe)
                        .data("dataUri", "data:application/jose;base64,"
                                + Base64.getEncoder().encodeToString(jwe.getBytes(StandardCharsets.US_ASCII)))
                        .render())
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/return")
    public TemplateInstance confirmReturn(@RestPath String id, @RestQuery String fingerprint) {
        user.require(CurrentUser.LICENSES_WRITE);
        JsonNode license = apis.issuerGet("/v1/licenses/" + Query.enc(id));
        return page.of("licenses/checkout-return").data("license", apis.map(license))
                .data("fingerprint", fingerprint == null ? "" : fingerprint)
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Path("/return")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response returnCheckout(@RestPath String id, @RestForm String fingerprint, @RestForm String returnFile,
            @RestForm String reason, @RestForm String idempotencyKey) {
        user.require(CurrentUser.LICENSES_WRITE);
        Map<String, String> headers = IdempotencyKey.header(idempotencyKey);
        String base = "/v1/licenses/" + Query.enc(id) + "/checkouts";
        if (returnFile != null && !returnFile.isBlank()) {
            apis.issuer().post(base + "/returns", Map.of("returnFile", returnFile.strip()), headers, apis.token());
        } else if (fingerprint != null && !fingerprint.isBlank()) {
            String query = reason == null || reason.isBlank() ? "" : "?reason=" + Query.enc(reason.trim());
            apis.issuer().delete(base + "/" + Query.enc(fingerprint.strip()) + query, headers, apis.token());
        } else {
            throw invalid("Paste the machine's return file, or give its fingerprint.");
        }
        return Response.seeOther(URI.create("/licenses/" + Query.enc(id) + "#co-h")).build();
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem("back office", 400, "invalid-request", "Invalid checkout", detail, List.of());
    }
}
