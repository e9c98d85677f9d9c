package org.licensing.backoffice.license;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.quarkus.qute.TemplateData;

import org.licensing.backoffice.api.Query;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.search.InvalidFilterException;
import org.licensing.core.search.LicenseFilters;

/**
 * The license search's filters as the form sends them (dates as yyyy-mm-dd or instants), turned into the issuer's
 * query parameters through license-core's {@link LicenseFilters}. {@code expiringWithin} (days) is the finance shortcut for expiresAfter=now and
 * expiresBefore=now+N days.
 */
@TemplateData
public record SearchForm(String q, List<String> status, String productCode, String policyId, String customerId,
        String expiresAfter, String expiresBefore, String issuedAfter, String issuedBefore, List<String> minLimit,
        String sort, String order, String expiringWithin) {

    public static final List<String> STATUSES = Arrays.stream(LicenseStatus.values()).map(Enum::name).toList();
    public static final List<String> SORTS = List.of("expiresAt", "issuedAt", "customerName");
    /** The expiry windows of the issuer's stats, in days. */
    public static final List<String> WINDOWS = List.of("7", "30", "60", "90");

    public SearchForm {
        status = status == null ? List.of() : status.stream().filter(s -> s != null && !s.isBlank()).toList();
        minLimit = minLimit == null ? List.of()
                : minLimit.stream().filter(s -> s != null && !s.isBlank()).map(String::trim).toList();
    }

    /**
     * The issuer's query (without cursor and limit). The filters are checked by license-core's {@link LicenseFilters},
     * the one definition the issuer parses them with: a bad date or filter is reported in {@code errors}, in the
     * issuer's words, before any call.
     */
    public Query toQuery(Clock clock, List<String> errors) {
        String after;
        String before;
        if (expiringWithin != null && WINDOWS.contains(expiringWithin)) {
            Instant now = clock.instant();
            after = now.toString();
            before = now.plus(Duration.ofDays(Long.parseLong(expiringWithin))).toString();
        } else {
            after = instant("expiresAfter", expiresAfter, errors);
            before = instant("expiresBefore", expiresBefore, errors);
        }
        Query query = new Query();
        try {
            LicenseFilters.parse(q, status, productCode, policyId, customerId, after, before,
                    instant("issuedAfter", issuedAfter, errors), instant("issuedBefore", issuedBefore, errors),
                    minLimit).toQuery().forEach(query::addAll);
        } catch (InvalidFilterException e) {
            errors.add(e.getMessage());
        }
        if (sort != null && SORTS.contains(sort)) {
            query.add("sort", sort);
        }
        if ("asc".equals(order) || "desc".equals(order)) {
            query.add("order", order);
        }
        return query;
    }

    /** The same filters as the back office's own query string (for paging and the CSV link). */
    public Query toPageQuery() {
        return new Query().add("q", q).addAll("status", status).add("productCode", productCode)
                .add("policyId", policyId).add("customerId", customerId).add("expiresAfter", expiresAfter)
                .add("expiresBefore", expiresBefore).add("issuedAfter", issuedAfter).add("issuedBefore", issuedBefore)
                .addAll("minLimit", minLimit).add("sort", sort).add("order", order)
                .add("expiringWithin", expiringWithin);
    }

    public boolean hasStatus(String s) {
        return status.contains(s);
    }

    /** The min-limit lines as one text (one {@code name:decimal} per line). */
    public String minLimitText() {
        return String.join("\n", minLimit);
    }

    static String instant(String field, String value, List<String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
            }
            return Instant.parse(v).toString();
        } catch (DateTimeParseException e) {
            errors.add(field + ": \"" + v + "\" is not a date (yyyy-mm-dd) or an ISO-8601 instant");
            return null;
        }
    }

    /** Splits a textarea of {@code name:decimal} lines (or comma-separated) into the repeatable parameter. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split("[\\r\\n,]+")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
