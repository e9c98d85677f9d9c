package org.licensing.core.search;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.licensing.core.license.LicenseStatus;

/**
 * The filters of a license search, one definition for the issuer's {@code GET /v1/licenses} (and its stats and CSV
 * export), the back office's search form and licensectl: the query parameter names, the one parse of their text
 * (what the issuer accepts, checked the same way everywhere) and the query form the issuer takes. Absent filters
 * are null or empty lists; statuses and minimum limits are kept deduplicated and sorted, so equal searches are equal
 * records.
 *
 * @param q case-insensitive text: a license id prefix, part of the customer name, a customer external id prefix
 * @param statuses any of these statuses
 * @param minLimits every one holds: the license's limit of that name is at least the value (exact decimals)
 */
public record LicenseFilters(
        String q,
        List<LicenseStatus> statuses,
        String productCode,
        UUID policyId,
        UUID customerId,
        Instant expiresAfter,
        Instant expiresBefore,
        Instant issuedAfter,
        Instant issuedBefore,
        List<MinLimit> minLimits) {

    public static final String Q = "q";
    public static final String STATUS = "status";
    public static final String PRODUCT_CODE = "productCode";
    public static final String POLICY_ID = "policyId";
    public static final String CUSTOMER_ID = "customerId";
    public static final String EXPIRES_AFTER = "expiresAfter";
    public static final String EXPIRES_BEFORE = "expiresBefore";
    public static final String ISSUED_AFTER = "issuedAfter";
    public static final String ISSUED_BEFORE = "issuedBefore";
    public static final String MIN_LIMIT = "minLimit";
    /** Every filter parameter, in the order the query form lists them. */
    public static final List<String> PARAMETERS = List.of(Q, STATUS, PRODUCT_CODE, POLICY_ID, CUSTOMER_ID,
            EXPIRES_AFTER, EXPIRES_BEFORE, ISSUED_AFTER, ISSUED_BEFORE, MIN_LIMIT);
    /** The filter parameters that may be given more than once (any of the statuses, all of the limits). */
    public static final List<String> REPEATABLE = List.of(STATUS, MIN_LIMIT);

    public static final int MAX_Q = 200;
    public static final int MAX_MIN_LIMITS = 16;
    /** A limit name, as entitlements name them. */
    public static final Pattern LIMIT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PRODUCT_CODE_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern UUID_PATTERN = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** No filter at all. */
    public static final LicenseFilters NONE = new LicenseFilters(null, List.of(), null, null, null, null, null, null,
            null, List.of());

    public LicenseFilters {
        statuses = statuses == null ? List.of()
                : List.copyOf(statuses.stream().distinct().sorted(Comparator.naturalOrder()).toList());
        minLimits = minLimits == null ? List.of()
                : List.copyOf(minLimits.stream().distinct()
                        .sorted(Comparator.comparing(MinLimit::name).thenComparing(MinLimit::value)).toList());
    }

    /** {@code name:decimal}: the limit {@code name} is at least {@code value}. */
    public record MinLimit(String name, BigDecimal value) {

        public MinLimit {
            value = value.stripTrailingZeros();
        }

        /**
         * {@code name:decimal}, e.g. {@code cuda.device:8} or {@code cuda.shares:2.5}.
         *
         * @throws InvalidFilterException naming {@value LicenseFilters#MIN_LIMIT}
         */
        public static MinLimit parse(String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new InvalidFilterException(MIN_LIMIT, t + " is not name:decimal (e.g. cuda.device:8)");
            }
            String name = t.substring(0, colon).trim();
            if (!LIMIT_NAME.matcher(name).matches()) {
                throw new InvalidFilterException(MIN_LIMIT, name + " is not a limit name");
            }
            String number = t.substring(colon + 1).trim();
            BigDecimal value;
            try {
                value = new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw new InvalidFilterException(MIN_LIMIT, number + " is not a decimal number");
            }
            if (value.precision() - value.scale() > 20 || value.scale() > 12) {
                throw new InvalidFilterException(MIN_LIMIT, number + " is too large or too precise");
            }
            return new MinLimit(name, value);
        }

        /** The query form, {@code name:decimal} in plain notation. */
        @Override
        public String toString() {
            return name + ":" + value.toPlainString();
        }
    }

    /**
     * The filters of a query, as sent: {@code values} gives every value of a parameter (an empty list when absent).
     * Blank values count as absent.
     *
     * @throws InvalidFilterException naming the first parameter whose value is not valid
     */
    public static LicenseFilters parse(Function<String, List<String>> values) {
        String q = single(values, Q);
        if (q != null && q.length() > MAX_Q) {
            throw new InvalidFilterException(Q, "at most " + MAX_Q + " characters");
        }
        List<LicenseStatus> statuses = new ArrayList<>();
        for (String s : present(values.apply(STATUS))) {
            statuses.add(QueryValues.oneOf(LicenseStatus.class, STATUS, s, true));
        }
        String productCode = single(values, PRODUCT_CODE);
        if (productCode != null && !PRODUCT_CODE_PATTERN.matcher(productCode).matches()) {
            throw new InvalidFilterException(PRODUCT_CODE, "not a product code ([a-z0-9][a-z0-9-]{1,63})");
        }
        List<MinLimit> minLimits = new ArrayList<>();
        for (String m : present(values.apply(MIN_LIMIT))) {
            minLimits.add(MinLimit.parse(m));
        }
        if (minLimits.size() > MAX_MIN_LIMITS) {
            throw new InvalidFilterException(MIN_LIMIT, "at most " + MAX_MIN_LIMITS);
        }
        return new LicenseFilters(q, statuses, productCode, uuid(values, POLICY_ID), uuid(values, CUSTOMER_ID),
                instant(values, EXPIRES_AFTER), instant(values, EXPIRES_BEFORE), instant(values, ISSUED_AFTER),
                instant(values, ISSUED_BEFORE), minLimits);
    }

    /**
     * {@link #parse(Function)} of the filters as a form or a command line holds them: one text per single filter
     * (null or blank: absent) and lists for the repeatable ones.
     */
    public static LicenseFilters parse(String q, List<String> status, String productCode, String policyId,
            String customerId, String expiresAfter, String expiresBefore, String issuedAfter, String issuedBefore,
            List<String> minLimit) {
        Map<String, List<String>> query = new HashMap<>();
        String[] singles = {q, productCode, policyId, customerId, expiresAfter, expiresBefore, issuedAfter,
            issuedBefore};
        String[] names = {Q, PRODUCT_CODE, POLICY_ID, CUSTOMER_ID, EXPIRES_AFTER, EXPIRES_BEFORE, ISSUED_AFTER,
            ISSUED_BEFORE};
        for (int i = 0; i < names.length; i++) {
            query.put(names[i], singles[i] == null ? List.of() : List.of(singles[i]));
        }
        query.put(STATUS, status == null ? List.of() : status);
        query.put(MIN_LIMIT, minLimit == null ? List.of() : minLimit);
        return parse(query);
    }

    /** {@link #parse(Function)} over a map of parameter values (absent names: no values). */
    public static LicenseFilters parse(Map<String, List<String>> query) {
        return parse(name -> query.getOrDefault(name, List.of()));
    }

    /** The query form: each present filter under its parameter name, repeatable ones once per value. */
    public Map<String, List<String>> toQuery() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        put(query, Q, q);
        query.put(STATUS, statuses.stream().map(Enum::name).toList());
        put(query, PRODUCT_CODE, productCode);
        put(query, POLICY_ID, policyId);
        put(query, CUSTOMER_ID, customerId);
        put(query, EXPIRES_AFTER, expiresAfter);
        put(query, EXPIRES_BEFORE, expiresBefore);
        put(query, ISSUED_AFTER, issuedAfter);
        put(query, ISSUED_BEFORE, issuedBefore);
        query.put(MIN_LIMIT, minLimits.stream().map(MinLimit::toString).toList());
        query.values().removeIf(List::isEmpty);
        return query;
    }

    private static void put(Map<String, List<String>> query, String name, Object value) {
        query.put(name, value == null ? List.of() : List.of(value.toString()));
    }

    private static List<String> present(List<String> values) {
        return values == null ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }

    private static String single(Function<String, List<String>> values, String name) {
        List<String> given = present(values.apply(name));
        if (given.size() > 1) {
            throw new InvalidFilterException(name, "may be given once");
        }
        return given.isEmpty() ? null : given.get(0);
    }

    private static UUID uuid(Function<String, List<String>> values, String name) {
        String text = single(values, name);
        if (text == null) {
            return null;
        }
        if (!UUID_PATTERN.matcher(text).matches()) {
            throw new InvalidFilterException(name, "not a UUID (8-4-4-4-12 hex digits)");
        }
        return UUID.fromString(text);
    }

    private static Instant instant(Function<String, List<String>> values, String name) {
        return QueryValues.instant(name, single(values, name));
    }
}
