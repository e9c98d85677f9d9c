package org.licensing.notification.reminder;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.store.LicenseRecord;
import org.licensing.store.OutboxEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The notification service's events (issue 21): type names and payloads, without I/O. Each id is derived from the
 * ledger key of the write that carries it, so a repeated write (a duplicate message, a second replica) names the same
 * event and the feed shows it once.
 */
public final class LicenseEvents {

    public static final String LICENSE_EXPIRING_SOON = "license.expiring-soon";
    public static final String LICENSE_EXPIRED = "license.expired";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LicenseEvents() {
    }

    /** Sent with the reminder of {@code thresholdDays} before the license's expiry on {@code expiryDay}. */
    public static OutboxEvent expiringSoon(LicenseRecord license, LocalDate expiryDay, int thresholdDays, Instant now) {
        Map<String, Object> data = license(license);
        data.put("thresholdDays", thresholdDays);
        data.put("expiryDay", expiryDay.toString());
        data.put("remindedAt", now.toString());
        return event(SendLedgerStore.reminderKey(license.licenseId(), expiryDay, thresholdDays), LICENSE_EXPIRING_SOON,
                license, now, data);
    }

    /** A license found past its expiry: once per ({@code licenseId}, {@code expiresAt}). */
    public static OutboxEvent expired(LicenseRecord license, Instant now) {
        Map<String, Object> data = license(license);
        data.put("graceDays", license.graceDays());
        data.put("graceEndsAt", license.graceEndsAt().toString());
        data.put("detectedAt", now.toString());
        return event(SendLedgerStore.expiredKey(license.licenseId(), license.expiresAt()), LICENSE_EXPIRED, license,
                now, data);
    }

    private static Map<String, Object> license(LicenseRecord license) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("licenseId", license.licenseId());
        data.put("customerId", license.customerId());
        data.put("customerName", license.customerName());
        data.put("productCode", license.productCode());
        data.put("status", license.status().name());
        data.put("expiresAt", license.expiresAt().toString());
        return data;
    }

    private static OutboxEvent event(String ledgerKey, String type, LicenseRecord license, Instant now,
            Map<String, Object> data) {
        try {
            return new OutboxEvent(OutboxEvent.idFor(ledgerKey), type, now, "license", license.licenseId(),
                    license.licenseId(), license.customerId(), JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
