package org.licensing.store;

import org.licensing.core.license.LicenseStatus;
import org.licensing.core.license.Entitlements;
import static org.licensing.store.LicenseTable.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps {@link LicenseRecord} to and from DynamoDB items: the one place that knows the item layout. */
public final class LicenseItems {

    private LicenseItems() {
    }

    public static Map<String, AttributeValue> toItem(LicenseRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(licensePk(r.licenseId())));
        item.put(LICENSE_ID, s(r.licenseId()));
        item.put(KEY_HASH, s(r.keyHash()));
        item.put(CUSTOMER_ID, s(r.customerId()));
        putIfPresent(item, CUSTOMER_NAME, r.customerName());
        item.put(PRODUCT_CODE, s(r.productCode()));
        putIfPresent(item, PRODUCT_NAME, r.productName());
        putIfPresent(item, POLICY_ID, r.policyId());
        item.putAll(issuerOwnedAttributes(r));
        item.put(ISSUED_AT, n(r.issuedAt().toEpochMilli()));
        item.put(ACTIVATIONS, AttributeValue.fromM(activationsToMap(r.activations())));
        putIfPresent(item, DEACTIVATION_DAY, r.deactivationDay());
        item.put(DEACTIVATIONS_ON_DAY, n(r.deactivationsOnDay()));
        if (r.checkoutSequence() > 0) {
            item.put(CHECKOUT_SEQUENCE, n(r.checkoutSequence()));
            item.put(CHECKOUTS, AttributeValue.fromM(checkoutsToMap(r.checkouts())));
        }
        return item;
    }

    /**
     * The attributes the issuer may change after issue (status, terms, key hash, version). An update writes
     * exactly these, so it never touches the validator's activation bookkeeping.
     */
    public static Map<String, AttributeValue> issuerOwnedAttributes(LicenseRecord r) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(KEY_HASH, s(r.keyHash()));
        item.put(STATUS, s(r.status().name()));
        item.put(NOT_BEFORE, n(r.notBefore().toEpochMilli()));
        item.put(EXPIRES_AT, n(r.expiresAt().toEpochMilli()));
        item.put(EXPIRY_DAY, s(r.expiryDay().toString()));
        item.put(GRACE_DAYS, n(r.graceDays()));
        item.put(MAX_ACTIVATIONS, n(r.maxActivations()));
        item.put(HEARTBEAT_HOURS, n(r.heartbeatHours()));
        item.put(MAX_DEACTIVATIONS_PER_DAY, n(r.maxDeactivationsPerDay()));
        item.put(OVERAGE_PERCENT, n(r.overagePercent()));
        Map<String, AttributeValue> features = new HashMap<>();
        r.entitlements().features().forEach((k, v) -> features.put(k, AttributeValue.fromBool(v)));
        item.put(FEATURES, AttributeValue.fromM(features));
        Map<String, AttributeValue> limits = new HashMap<>();
        r.entitlements().limits().forEach((k, v) -> limits.put(k, AttributeValue.fromN(v.toPlainString())));
        item.put(LIMITS, AttributeValue.fromM(limits));
        item.put(FINANCE_EMAILS, AttributeValue.fromL(r.financeEmails().stream().map(LicenseItems::s).toList()));
        item.put(VERSION, n(r.version()));
        item.put(UPDATED_AT, n(r.updatedAt().toEpochMilli()));
        return item;
    }

    public static Map<String, AttributeValue> activationsToMap(Map<String, Activation> activations) {
        Map<String, AttributeValue> m = new HashMap<>();
        activations.forEach((fp, a) -> m.put(fp, activationToItem(a)));
        return m;
    }

    public static AttributeValue activationToItem(Activation a) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put(ACTIVATED_AT, n(a.activatedAt().toEpochMilli()));
        m.put(LAST_SEEN_AT, n(a.lastSeenAt().toEpochMilli()));
        if (a.checkoutUntil() != null) {
            m.put(CHECKOUT_UNTIL, n(a.checkoutUntil().toEpochMilli()));
        }
        return AttributeValue.fromM(m);
    }

    public static Map<String, AttributeValue> checkoutsToMap(Map<String, Checkout> checkouts) {
        Map<String, AttributeValue> m = new HashMap<>();
        checkouts.forEach((fp, c) -> m.put(fp, checkoutToItem(c)));
        return m;
    }

    public static AttributeValue checkoutToItem(Checkout c) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put(CHECKOUT_ID, s(c.checkoutId()));
        m.put(SEQUENCE, n(c.sequence()));
        m.put(ISSUED_AT, n(c.issuedAt().toEpochMilli()));
        m.put(UNTIL, n(c.until().toEpochMilli()));
        if (c.returnedAt() != null) {
            m.put(RETURNED_AT, n(c.returnedAt().toEpochMilli()));
        }
        putIfPresent(m, LABEL, c.label());
        return AttributeValue.fromM(m);
    }

    public static LicenseRecord fromItem(Map<String, AttributeValue> item) {
        Map<String, Boolean> features = new TreeMap<>();
        mapOf(item, FEATURES).forEach((k, v) -> features.put(k, v.bool()));
        Map<String, BigDecimal> limits = new TreeMap<>(); // DynamoDB numbers are exact decimals (38 digits)
        mapOf(item, LIMITS).forEach((k, v) -> limits.put(k, new BigDecimal(v.n())));
        Map<String, Activation> activations = new HashMap<>();
        mapOf(item, ACTIVATIONS).forEach((fp, v) -> activations.put(fp, new Activation(fp,
                instant(v.m(), ACTIVATED_AT), instant(v.m(), LAST_SEEN_AT), instant(v.m(), CHECKOUT_UNTIL))));
        Map<String, Checkout> checkouts = new HashMap<>();
        mapOf(item, CHECKOUTS).forEach((fp, v) -> checkouts.put(fp, new Checkout(fp, str(v.m(), CHECKOUT_ID),
                Long.parseLong(v.m().get(SEQUENCE).n()), instant(v.m(), ISSUED_AT), instant(v.m(), UNTIL),
                instant(v.m(), RETURNED_AT), str(v.m(), LABEL))));
        List<String> emails = item.containsKey(FINANCE_EMAILS)
                ? item.get(FINANCE_EMAILS).l().stream().map(AttributeValue::s).toList()
                : List.of();
        return LicenseRecord.builder()
                .licenseId(str(item, LICENSE_ID))
                .keyHash(str(item, KEY_HASH))
                .customerId(str(item, CUSTOMER_ID))
                .customerName(str(item, CUSTOMER_NAME))
                .productCode(str(item, PRODUCT_CODE))
                .productName(str(item, PRODUCT_NAME))
                .policyId(str(item, POLICY_ID))
                .status(LicenseStatus.valueOf(str(item, STATUS)))
                .issuedAt(instant(item, ISSUED_AT))
                .notBefore(instant(item, NOT_BEFORE))
                .expiresAt(instant(item, EXPIRES_AT))
                .graceDays(integer(item, GRACE_DAYS))
                .maxActivations(integer(item, MAX_ACTIVATIONS))
                .heartbeatHours(integer(item, HEARTBEAT_HOURS))
                .maxDeactivationsPerDay(integer(item, MAX_DEACTIVATIONS_PER_DAY))
                .overagePercent(integer(item, OVERAGE_PERCENT))
                .entitlements(new Entitlements(features, limits))
                .financeEmails(emails)
                .activations(activations)
                .deactivationDay(str(item, DEACTIVATION_DAY))
                .deactivationsOnDay(integer(item, DEACTIVATIONS_ON_DAY))
                .checkouts(checkouts)
                .checkoutSequence(item.containsKey(CHECKOUT_SEQUENCE) ? Long.parseLong(item.get(CHECKOUT_SEQUENCE).n()) : 0L)
                .version(item.containsKey(VERSION) ? Long.parseLong(item.get(VERSION).n()) : 0L)
                .updatedAt(instant(item, UPDATED_AT))
                .pendingEvents(item.containsKey(OUTBOX) && item.get(OUTBOX).hasL() ? item.get(OUTBOX).l().size() : 0)
                .limitExceededDay(str(item, LIMIT_EXCEEDED_DAY))
                .build();
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static Map<String, AttributeValue> mapOf(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasM() ? Map.of() : v.m();
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static int integer(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Integer.parseInt(v.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
