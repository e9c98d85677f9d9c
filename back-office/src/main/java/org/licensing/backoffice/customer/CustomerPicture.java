package org.licensing.backoffice.customer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.api.ServiceUnavailable;
import org.licensing.backoffice.audit.AuditRows;

/**
 * A customer's whole picture for support: every license (status, expiry), the machines and checkouts across them
 * with when they were last seen, the reminders sent, the usage reported, the contacts and the audit history. Each
 * part is asked of the API with the customer's id or one of its licenses' ids, so nothing of another customer can
 * appear. Per-license parts (machines, checkouts, usage, reminders) are read for the first {@link #DETAILED}
 * licenses (three or four requests each); the page says when there are more.
 */
final class CustomerPicture {

    /** Licenses listed at most (the license search has them all). */
    static final int MAX_LICENSES = 1000;
    /** Licenses whose machines, checkouts, usage and reminders are read. */
    static final int DETAILED = 25;
    static final int USAGE_DAYS = 30;

    final List<Object> licenses = new ArrayList<>();
    final List<Object> machines = new ArrayList<>();
    final List<Object> checkouts = new ArrayList<>();
    final List<Object> usage = new ArrayList<>();
    final List<Object> reminders = new ArrayList<>();
    List<Object> contacts = List.of();
    List<Object> audit = List.of();
    boolean moreLicenses;
    boolean partlyDetailed;
    String remindersNote = "";

    static CustomerPicture of(Apis apis, String customerId) {
        CustomerPicture p = new CustomerPicture();
        String id = Query.enc(customerId);
        p.contacts = apis.list(apis.issuerGet("/v1/customers/" + id + "/contacts"));
        p.moreLicenses = apis.eachLicense(new Query().add("customerId", customerId), MAX_LICENSES,
                l -> p.licenses.add(apis.map(l)));
        p.partlyDetailed = p.licenses.size() > DETAILED;
        // Three or four requests per license: asked concurrently (a few at a time), put together in license order.
        String token = apis.token();
        List<String> detailed = p.licenses.subList(0, Math.min(DETAILED, p.licenses.size())).stream()
                .map(l -> String.valueOf(((Map<?, ?>) l).get("licenseId"))).toList();
        for (LicenseDetail d : Apis.concurrently(detailed, licenseId -> LicenseDetail.read(apis, token, licenseId))) {
            p.machines.addAll(d.machines);
            p.checkouts.addAll(d.checkouts);
            p.usage.addAll(d.usage);
            p.reminders.addAll(d.reminders);
            if (p.remindersNote.isEmpty()) {
                p.remindersNote = d.remindersNote;
            }
        }
        p.audit = new AuditRows(apis).rows(apis.issuerGet("/v1/audit-events" + new Query()
                .add("customerId", customerId).add("limit", 50)));
        return p;
    }

    /** What the page shows of one license beside the list: read with the user's token on any thread. */
    private static final class LicenseDetail {
        final List<Object> machines = new ArrayList<>();
        final List<Object> checkouts = new ArrayList<>();
        final List<Object> usage = new ArrayList<>();
        final List<Object> reminders = new ArrayList<>();
        String remindersNote = "";

        static LicenseDetail read(Apis apis, String token, String licenseId) {
            LicenseDetail d = new LicenseDetail();
            String lid = Query.enc(licenseId);
            JsonNode live = apis.issuer().get("/v1/licenses/" + lid, token);
            for (JsonNode m : live.path("activationDetails")) {
                d.machines.add(with(apis.map(m), licenseId, live));
            }
            for (JsonNode c : apis.issuer().get("/v1/licenses/" + lid + "/checkouts", token)) {
                d.checkouts.add(with(apis.map(c), licenseId, live));
            }
            JsonNode used = apis.issuer().get("/v1/licenses/" + lid + "/usage", token);
            for (JsonNode q : used.path("quantities")) {
                Map<String, Object> row = with(new HashMap<>(), licenseId, live);
                row.put("quantity", q.path("quantity").asText());
                row.put("limit", q.path("limit").isNull() ? "" : q.path("limit").asText(""));
                row.put("averageInUse", average(q.path("quantitySeconds").asText("0"), used));
                d.usage.add(row);
            }
            try {
                for (JsonNode r : apis.notification().get("/v1/licenses/" + lid + "/reminders", token)
                        .path("items")) {
                    d.reminders.add(with(apis.map(r), licenseId, live));
                }
            } catch (ApiProblem refused) {
                d.remindersNote = "The notification service refused: " + refused.title();
            } catch (ServiceUnavailable down) {
                // the rest of the picture still shows; the note says why reminders do not
                d.remindersNote = "The notification service " + down.summary() + ": reminders cannot be shown now.";
            }
            return d;
        }
    }

    /** Quantity-seconds over the range / its seconds: how much was in use on average (as the issuer's days do). */
    static String average(String quantitySeconds, JsonNode usage) {
        long days = USAGE_DAYS;
        try {
            days = ChronoUnit.DAYS.between(LocalDate.parse(usage.path("from").asText()),
                    LocalDate.parse(usage.path("to").asText())) + 1;
        } catch (RuntimeException noRange) {
            // the issuer's default range
        }
        BigDecimal avg = new BigDecimal(quantitySeconds).divide(BigDecimal.valueOf(days * 86_400L),
                MathContext.DECIMAL64);
        return avg.setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Object> with(Map<String, Object> row, String licenseId, JsonNode live) {
        Map<String, Object> out = new HashMap<>(row);
        out.put("licenseId", licenseId);
        out.put("productCode", live.path("productCode").asText(""));
        return out;
    }
}
