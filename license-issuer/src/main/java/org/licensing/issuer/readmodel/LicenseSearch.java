package org.licensing.issuer.readmodel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.licensing.core.search.InvalidFilterException;
import org.licensing.core.search.LicenseFilters;
import org.licensing.support.problem.Problems;

/**
 * A checked license search: the filters ({@link LicenseFilters}, parsed from {@link SearchParams}), the sort and the
 * page size. Absent filters are null (or empty lists). Bad values are a 400 {@code invalid-request} naming the
 * parameter.
 */
public record LicenseSearch(LicenseFilters filters, Sort sort, boolean descending, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    /** Every query parameter a search knows; any other one is refused (a misspelled filter must not widen it). */
    static final Set<String> PARAMETERS = Stream.concat(LicenseFilters.PARAMETERS.stream(),
            Stream.of("sort", "order", "limit", "cursor")).collect(Collectors.toUnmodifiableSet());

    /** The sort keys; each has an index ending in license_id (V4__license_summaries.sql). */
    public enum Sort {
        expiresAt, issuedAt, customerName
    }

    /**
     * @param query every query parameter as sent (names and repetitions are checked against {@link #PARAMETERS})
     */
    public static LicenseSearch parse(SearchParams p, Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!PARAMETERS.contains(e.getKey())) {
                throw Problems.badRequest("Unknown query parameter " + e.getKey() + "; known: "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
            if (e.getValue().size() > 1 && !LicenseFilters.REPEATABLE.contains(e.getKey())) {
                throw Problems.badRequest(e.getKey() + " may be given once");
            }
        }
        LicenseFilters filters;
        try {
            filters = p.filters();
        } catch (InvalidFilterException e) {
            throw Problems.badRequest(e.getMessage());
        }
        Sort sort = Sort.expiresAt;
        if (blankToNull(p.sort) != null) {
            try {
                sort = Sort.valueOf(p.sort.trim());
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest("sort: " + p.sort + " is none of " + Arrays.toString(Sort.values()));
            }
        }
        boolean descending = false;
        if (blankToNull(p.order) != null) {
            switch (p.order.trim().toLowerCase(Locale.ROOT)) {
                case "asc" -> descending = false;
                case "desc" -> descending = true;
                default -> throw Problems.badRequest("order: " + p.order + " is neither asc nor desc");
            }
        }
        int limit = DEFAULT_LIMIT;
        if (blankToNull(p.limit) != null) {
            try {
                limit = Integer.parseInt(p.limit.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw Problems.badRequest("limit: must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        return new LicenseSearch(filters, sort, descending, limit);
    }

    /**
     * A digest of the filters and the sort (not the page size) and of the caller's scope: a cursor carries it, so a
     * cursor reused with other filters is refused instead of paging through another result.
     */
    String fingerprint(String scope) {
        LicenseFilters f = filters;
        String canonical = String.join("\u0000", String.valueOf(f.q()), f.statuses().toString(),
                String.valueOf(f.productCode()), String.valueOf(f.policyId()), String.valueOf(f.customerId()),
                String.valueOf(f.expiresAfter()), String.valueOf(f.expiresBefore()), String.valueOf(f.issuedAfter()),
                String.valueOf(f.issuedBefore()), f.minLimits().toString(), sort.name(), Boolean.toString(descending),
                String.valueOf(scope));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }




    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

}
