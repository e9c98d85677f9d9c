package org.licensing.issuer.readmodel;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.licensing.core.license.LicenseStatus;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.support.Ids;
import org.licensing.support.problem.Problems;

/**
 * A checked license search: every filter of {@link SearchParams}, the sort and the page size. Absent filters are
 * null (or empty lists). Bad values are a 400 {@code invalid-request} naming the parameter.
 */
public record LicenseSearch(
        String q,
        List<LicenseStatus> statuses,
        String productCode,
        UUID policyId,
        UUID customerId,
        Instant expiresAfter,
        Instant expiresBefore,
        Instant issuedAfter,
        Instant issuedBefore,
        List<MinLimit> minLimits,
        Sort sort,
        boolean descending,
        int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    static final int MAX_Q = 200;
    static final int MAX_MIN_LIMITS = 16;

    /** Every query parameter a search knows; any other one is refused (a misspelled filter must not widen it). */
    static final Set<String> PARAMETERS = Set.of("q", "status", "productCode", "policyId", "customerId",
            "expiresAfter", "expiresBefore", "issuedAfter", "issuedBefore", "minLimit", "sort", "order", "limit",
            "cursor");
    private static final Set<String> REPEATABLE = Set.of("status", "minLimit");
    private static final Pattern LIMIT_NAME = Pattern.compile(EntitlementsDto.NAME);
    private static final Pattern PRODUCT_CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** The sort keys; each has an index ending in license_id (V4__license_summaries.sql). */
    public enum Sort {
        expiresAt, issuedAt, customerName
    }

    /** {@code minLimit=name:decimal}: the limit {@code name} is at least {@code value}. */
    public record MinLimit(String name, BigDecimal value) {
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
            if (e.getValue().size() > 1 && !REPEATABLE.contains(e.getKey())) {
                throw Problems.badRequest(e.getKey() + " may be given once");
            }
        }
        String q = blankToNull(p.q);
        if (q != null && q.length() > MAX_Q) {
            throw Problems.badRequest("q: at most " + MAX_Q + " characters");
        }
        List<LicenseStatus> statuses = new ArrayList<>();
        for (String s : nullToEmpty(p.status)) {
            try {
                LicenseStatus status = LicenseStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
                if (!statuses.contains(status)) {
                    statuses.add(status);
                }
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest("status: " + s + " is none of " + Arrays.toString(LicenseStatus.values()));
            }
        }
        statuses.sort(Comparator.naturalOrder());
        String productCode = blankToNull(p.productCode);
        if (productCode != null && !PRODUCT_CODE.matcher(productCode).matches()) {
            throw Problems.badRequest("productCode: not a product code ([a-z0-9][a-z0-9-]{1,63})");
        }
        List<MinLimit> minLimits = new ArrayList<>();
        for (String m : nullToEmpty(p.minLimit)) {
            minLimits.add(minLimit(m));
        }
        if (minLimits.size() > MAX_MIN_LIMITS) {
            throw Problems.badRequest("minLimit: at most " + MAX_MIN_LIMITS);
        }
        minLimits.sort(Comparator.comparing(MinLimit::name).thenComparing(MinLimit::value));
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
        return new LicenseSearch(q, List.copyOf(statuses), productCode, uuid("policyId", p.policyId),
                uuid("customerId", p.customerId), instant("expiresAfter", p.expiresAfter),
                instant("expiresBefore", p.expiresBefore), instant("issuedAfter", p.issuedAfter),
                instant("issuedBefore", p.issuedBefore), List.copyOf(minLimits), sort, descending, limit);
    }

    /**
     * A digest of the filters and the sort (not the page size) and of the caller's scope: a cursor carries it, so a
     * cursor reused with other filters is refused instead of paging through another result.
     */
    String fingerprint(String scope) {
        String canonical = String.join("\u0000", String.valueOf(q), statuses.toString(), String.valueOf(productCode),
                String.valueOf(policyId), String.valueOf(customerId), String.valueOf(expiresAfter),
                String.valueOf(expiresBefore), String.valueOf(issuedAfter), String.valueOf(issuedBefore),
                minLimits.stream().map(m -> m.name() + ":" + m.value().toPlainString()).toList().toString(),
                sort.name(), Boolean.toString(descending), String.valueOf(scope));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MinLimit minLimit(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw Problems.badRequest("minLimit: " + text + " is not name:decimal (e.g. cuda.device:8)");
        }
        String name = text.substring(0, colon).trim();
        if (!LIMIT_NAME.matcher(name).matches()) {
            throw Problems.badRequest("minLimit: " + name + " is not a limit name");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw Problems.badRequest("minLimit: " + text.substring(colon + 1) + " is not a decimal number");
        }
        if (value.precision() - value.scale() > 20 || value.scale() > 12) {
            throw Problems.badRequest("minLimit: " + text.substring(colon + 1) + " is too large or too precise");
        }
        return new MinLimit(name, value.stripTrailingZeros());
    }

    private static UUID uuid(String name, String text) {
        if (blankToNull(text) == null) {
            return null;
        }
        return Ids.parseUuid(text.trim())
                .orElseThrow(() -> Problems.badRequest(name + ": not a UUID (8-4-4-4-12 hex digits)"));
    }

    private static Instant instant(String name, String text) {
        if (blankToNull(text) == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw Problems.badRequest(name + ": not an ISO-8601 instant (e.g. 2027-01-01T00:00:00Z)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static List<String> nullToEmpty(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }
}
