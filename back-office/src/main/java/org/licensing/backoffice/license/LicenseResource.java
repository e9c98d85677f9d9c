package org.licensing.backoffice.license;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiClient;
import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.audit.AuditRows;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.api.ServiceUnavailable;
import org.licensing.backoffice.config.BackOfficeConfig;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/** License search, CSV export, detail, license file, the change actions with confirmation, and issuing. */
@Path("/licenses")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class LicenseResource extends PageResource {

    private final BackOfficeConfig config;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public LicenseResource(Apis apis, Page page, CurrentUser user, BackOfficeConfig config) {
        super(apis, page, user);
        this.config = config;
    }

    // --- search ---

    @GET
    public TemplateInstance search(@RestQuery String q, @RestQuery List<String> status,
            @RestQuery String productCode, @RestQuery String policyId, @RestQuery String customerId,
            @RestQuery String expiresAfter, @RestQuery String expiresBefore, @RestQuery String issuedAfter,
            @RestQuery String issuedBefore, @RestQuery List<String> minLimit, @RestQuery String minLimits,
            @RestQuery String sort, @RestQuery String order, @RestQuery String expiringWithin,
            @RestQuery String cursor) {
        List<String> limits = new ArrayList<>(minLimit == null ? List.of() : minLimit);
        limits.addAll(SearchForm.lines(minLimits));
        SearchForm form = new SearchForm(q, status, productCode, policyId, customerId, expiresAfter, expiresBefore,
                issuedAfter, issuedBefore, limits, sort, order, expiringWithin);
        List<String> errors = new ArrayList<>();
        Query query = form.toQuery(clock, errors);
        List<Object> items = List.of();
        String nextCursor = null;
        if (errors.isEmpty()) {
            try {
                JsonNode answer = apis.issuerGet("/v1/licenses" + query.add("limit", config.pageSize())
                        .add("cursor", cursor));
                items = apis.list(answer.path("items"));
                nextCursor = answer.path("nextCursor").isTextual() ? answer.path("nextCursor").asText() : null;
            } catch (ApiProblem problem) {
                if (problem.status() != 400) {
                    throw problem;
                }
                // A bad filter is the user's to fix: shown above the form, not as an error page.
                errors.add(problem.detail().isBlank() ? problem.title() : problem.detail());
                errors.addAll(problem.violations());
            }
        }
        Query own = form.toPageQuery();
        return page.of("licenses/search").data("form", form).data("items", items).data("errors", errors)
                .data("statuses", SearchForm.STATUSES).data("windows", SearchForm.WINDOWS)
                .data("nextUrl", nextCursor == null ? null : "/licenses" + own.add("cursor", nextCursor))
                .data("firstUrl", cursor == null ? null : "/licenses" + form.toPageQuery())
                .data("csvUrl", "/licenses.csv" + form.toPageQuery());
    }

    // --- detail ---

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id, @RestQuery String done) {
        ApiClient.Answer answer = apis.issuer().getAnswer("/v1/licenses/" + Query.enc(id), apis.token());
        Map<String, Object> license = apis.map(answer.body());
        String status = answer.body().path("status").asText();
        String customerId = answer.body().path("customerId").asText();
        // The six reads below need only the license: asked at once, so the page waits for the slowest, not the sum.
        String token = apis.token();
        String lid = Query.enc(id);
        var customerRead = Apis.async(() -> apis.issuer().get("/v1/customers/" + Query.enc(customerId), token));
        var auditRead = Apis.async(() -> apis.issuer().get("/v1/audit-events?limit=50&licenseId=" + lid, token));
        var remindersRead = Apis.async(() -> apis.notification().get("/v1/licenses/" + lid + "/reminders", token));
        var checkoutsRead = Apis.async(() -> apis.issuer().get("/v1/licenses/" + lid + "/checkouts", token));
        var usageRead = Apis.async(() -> apis.issuer().get("/v1/licenses/" + lid + "/usage", token));
        var reportsRead = Apis.async(() -> apis.issuer().get("/v1/licenses/" + lid + "/usage-reports", token));
        Map<String, Object> customer = Map.of();
        try {
            customer = apis.map(Apis.await(customerRead));
        } catch (ApiProblem notVisible) {
            // the license's own customer fields still show
        }
        List<Object> audit = new AuditRows(apis).rows(Apis.await(auditRead));
        List<Object> reminders = List.of();
        String remindersNote = "";
        try {
            JsonNode items = Apis.await(remindersRead).path("items");
            String expiresAt = answer.body().path("expiresAt").asText();
            List<Object> current = new ArrayList<>();
            for (JsonNode item : items) {
                // Reminders of an earlier expiry (before a renewal) are history, not this expiry's.
                if (sameInstant(item.path("expiresAt").asText(), expiresAt)) {
                    current.add(apis.map(item));
                }
            }
            reminders = current;
        } catch (ApiProblem p) {
            remindersNote = "The notification service refused: " + p.title();
        } catch (ServiceUnavailable u) {
            remindersNote = "The notification service " + u.summary() + ": reminders cannot be shown now.";
        }
        List<Object> checkouts = List.of();
        String checkoutsNote = "";
        try {
            checkouts = apis.list(Apis.await(checkoutsRead));
        } catch (ApiProblem p) {
            checkoutsNote = "The issuer refused the checkouts: " + p.title();
        }
        List<LicenseUsage.Quantity> usage = List.of();
        List<Object> usageChains = List.of();
        List<Object> usageReports = List.of();
        String usageNote = "";
        try {
            usage = LicenseUsage.of(Apis.await(usageRead));
            JsonNode reports = Apis.await(reportsRead);
            usageChains = apis.list(reports.path("chains"));
            usageReports = apis.list(reports.path("reports"));
        } catch (ApiProblem p) {
            usageNote = "The issuer refused the usage: " + p.title();
        }
        List<LicenseAction> actions = new ArrayList<>();
        if (user.has(CurrentUser.LICENSES_WRITE)) {
            for (LicenseAction action : LicenseAction.values()) {
                if (action.appliesTo(status)) {
                    actions.add(action);
                }
            }
        }
        return page.of("licenses/detail").data("license", license).data("customer", customer)
                .data("audit", audit).data("checkouts", checkouts).data("checkoutsNote", checkoutsNote)
                .data("canWrite", user.has(CurrentUser.LICENSES_WRITE))
                .data("reminders", reminders).data("remindersNote", remindersNote)
                .data("usage", usage).data("usageChains", usageChains).data("usageReports", usageReports)
                .data("usageNote", usageNote)
                .data("actions", actions).data("done", LicenseAction.bySlug(done == null ? "" : done).orElse(null));
    }

    /**
     * The license file bound to no machine (JWE for the license key) as a download: only where the license's policy
     * allows it, and only for licenses:write (the issuer decides both; a refusal shows as its problem page).
     */
    @GET
    @Path("/{id}/file")
    @Produces("application/jose")
    public Response file(@RestPath String id) {
        user.require(CurrentUser.LICENSES_WRITE);
        HttpResponse<InputStream> file = apis.issuer().stream("/v1/licenses/" + Query.enc(id) + "/file",
                "application/jose", apis.token());
        String name = id.replaceAll("[^A-Za-z0-9-]", "") + ".lic.jwe";
        return Response.ok(streamed(file)).type("application/jose")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }

    // --- actions ---

    @GET
    @Path("/{id}/actions/{action}")
    public TemplateInstance confirm(@RestPath String id, @RestPath String action) {
        LicenseAction what = LicenseAction.bySlug(action).orElseThrow(NotFoundException::new);
        user.require(CurrentUser.LICENSES_WRITE);
        JsonNode license = apis.issuerGet("/v1/licenses/" + Query.enc(id));
        return page.of("licenses/confirm").data("license", apis.map(license)).data("action", what)
                .data("applies", what.appliesTo(license.path("status").asText()))
                // One key per confirmation page: a double submit or a retry replays the first answer.
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Path("/{id}/actions/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@RestPath String id, @RestPath String action, @RestForm long version,
            @RestForm String idempotencyKey, @RestForm String reason, @RestForm Integer extendDays,
            @RestForm String expiresAt) {
        LicenseAction what = LicenseAction.bySlug(action).orElseThrow(NotFoundException::new);
        user.require(CurrentUser.LICENSES_WRITE);
        Map<String, Object> body = new LinkedHashMap<>();
        if (what == LicenseAction.RENEW) {
            List<String> errors = new ArrayList<>();
            String until = SearchForm.instant("expiresAt", expiresAt, errors);
            if (!errors.isEmpty() || (until == null) == (extendDays == null)) {
                throw new ApiProblem("back office", 400, "invalid-request", "Invalid renewal",
                        errors.isEmpty() ? "Give either days to add or a new expiry date (exactly one)."
                                : String.join("; ", errors), List.of());
            }
            if (until != null) {
                body.put("expiresAt", until);
            } else {
                body.put("extendDays", extendDays);
            }
        }
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason.trim());
        }
        ApiClient.Answer answer = apis.issuer().post("/v1/licenses/" + Query.enc(id) + "/" + what.slug(), body,
                headers(version, idempotencyKey), apis.token());
        if (what == LicenseAction.REGENERATE_KEY) {
            return Response.ok(keyPage(answer.body(), "A new key for this license")).build();
        }
        return Response.seeOther(URI.create("/licenses/" + Query.enc(id) + "?done=" + what.slug())).build();
    }

    // --- issue ---

    @GET
    @Path("/new")
    public TemplateInstance issueForm(@RestQuery String customerId) {
        user.require(CurrentUser.LICENSES_WRITE);
        return page.of("licenses/issue")
                .data("customers", apis.list(apis.issuerGet("/v1/customers?page=0&size=200")))
                .data("policies", apis.list(apis.issuerGet("/v1/policies")))
                .data("customerId", customerId == null ? "" : customerId)
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(@RestForm String customerId, @RestForm String policyId, @RestForm String notBefore,
            @RestForm String expiresAt, @RestForm Integer durationDays, @RestForm Integer graceDays,
            @RestForm Integer maxActivations, @RestForm String limits, @RestForm String features,
            @RestForm String idempotencyKey) {
        user.require(CurrentUser.LICENSES_WRITE);
        List<String> errors = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        body.put("policyId", policyId);
        putIfSet(body, "notBefore", SearchForm.instant("notBefore", notBefore, errors));
        putIfSet(body, "expiresAt", SearchForm.instant("expiresAt", expiresAt, errors));
        putIfSet(body, "durationDays", durationDays);
        putIfSet(body, "graceDays", graceDays);
        putIfSet(body, "maxActivations", maxActivations);
        Map<String, Object> entitlements = Entitlements.parse(limits, features, errors);
        if (!entitlements.isEmpty()) {
            body.put("entitlements", entitlements);
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem("back office", 400, "invalid-request", "Invalid license", String.join("; ", errors),
                    List.of());
        }
        ApiClient.Answer answer = apis.issuer().post("/v1/licenses", body, headers(null, idempotencyKey),
                apis.token());
        return Response.status(201).entity(keyPage(answer.body(), "License issued")).build();
    }

    // --- helpers ---

    /** The key is in this one answer only: rendered now, never stored, never shown again (no-store). */
    private String keyPage(JsonNode license, String heading) {
        return page.of("licenses/key").data("license", apis.map(license)).data("heading", heading)
                .data("licenseKey", license.path("licenseKey").asText()).render();
    }

    private static Map<String, String> headers(Long version, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>(IdempotencyKey.header(idempotencyKey));
        if (version != null && version > 0) {
            headers.put("If-Match", "\"" + version + "\"");
        }
        return headers;
    }

    private static void putIfSet(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    private static boolean sameInstant(String a, String b) {
        try {
            return java.time.Instant.parse(a).equals(java.time.Instant.parse(b));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static StreamingOutput streamed(HttpResponse<InputStream> response) {
        return out -> {
            try (InputStream in = response.body()) {
                in.transferTo(out);
            }
        };
    }

    /** Parses the issue form's limit and feature lines ({@code name=value}). */
    static final class Entitlements {
        private Entitlements() {
        }

        static Map<String, Object> parse(String limits, String features, List<String> errors) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> limitMap = new LinkedHashMap<>();
            for (String line : SearchForm.lines(limits)) {
                String[] kv = line.split("[=:]", 2);
                try {
                    limitMap.put(kv[0].trim(), new BigDecimal(kv[1].trim()));
                } catch (RuntimeException e) {
                    errors.add("limit \"" + line + "\": write name=number, e.g. cuda.device=8");
                }
            }
            Map<String, Object> featureMap = new LinkedHashMap<>();
            for (String line : SearchForm.lines(features)) {
                String[] kv = line.split("[=:]", 2);
                String value = kv.length == 2 ? kv[1].trim() : "true";
                if (!value.equals("true") && !value.equals("false")) {
                    errors.add("feature \"" + line + "\": write name=true or name=false");
                } else {
                    featureMap.put(kv[0].trim(), Boolean.parseBoolean(value));
                }
            }
            if (!limitMap.isEmpty()) {
                out.put("limits", limitMap);
            }
            if (!featureMap.isEmpty()) {
                out.put("features", featureMap);
            }
            return out;
        }
    }
}
