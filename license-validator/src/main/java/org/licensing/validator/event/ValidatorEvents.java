package org.licensing.validator.event;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.licensing.store.Activation;
import org.licensing.store.LicenseRecord;
import org.licensing.store.OutboxEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The validator's events (issue 21), as they go into the license item's outbox with the change they report: the
 * type names, subjects and payloads in one place. Plain: no I/O. Ids are derived from what makes the event unique
 * ({@link OutboxEvent#idFor}) where a repeated write must not publish it twice (the day of a limit-exceeded, the seat
 * that missed its heartbeats); a deactivation is a new happening each time.
 */
public final class ValidatorEvents {

    public static final String MACHINE_ACTIVATED = "machine.activated";
    public static final String MACHINE_DEACTIVATED = "machine.deactivated";
    public static final String MACHINE_HEARTBEAT_MISSED = "machine.heartbeat-missed";
    public static final String LICENSE_LIMIT_EXCEEDED = "license.limit-exceeded";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ValidatorEvents() {
    }

    public static OutboxEvent activated(LicenseRecord license, String fingerprint, Instant now) {
        Map<String, Object> data = machine(license, fingerprint);
        data.put("activatedAt", now.toString());
        data.put("maxActivations", license.maxActivations());
        return machineEvent(OutboxEvent.idFor(MACHINE_ACTIVATED + "/" + license.licenseId() + "/" + fingerprint + "/"
                + now.toEpochMilli()), MACHINE_ACTIVATED, license, fingerprint, now, data);
    }

    public static OutboxEvent deactivated(LicenseRecord license, Activation seat, Instant now) {
        Map<String, Object> data = machine(license, seat.fingerprint());
        data.put("activatedAt", seat.activatedAt().toString());
        data.put("lastSeenAt", seat.lastSeenAt().toString());
        data.put("deactivatedAt", now.toString());
        return machineEvent(UUID.randomUUID().toString(), MACHINE_DEACTIVATED, license, seat.fingerprint(), now, data);
    }

    /**
     * A floating seat whose machine was not seen for the license's {@code heartbeatHours}: its seat is freed with this
     * event. Once per seat (the id names the seat's last heartbeat).
     */
    public static OutboxEvent heartbeatMissed(LicenseRecord license, Activation seat, Instant now) {
        Map<String, Object> data = machine(license, seat.fingerprint());
        data.put("activatedAt", seat.activatedAt().toString());
        data.put("lastSeenAt", seat.lastSeenAt().toString());
        data.put("heartbeatHours", license.heartbeatHours());
        data.put("overdueSince", seat.lastSeenAt().plus(Duration.ofHours(license.heartbeatHours())).toString());
        data.put("detectedAt", now.toString());
        return machineEvent(OutboxEvent.idFor(MACHINE_HEARTBEAT_MISSED + "/" + license.licenseId() + "/"
                + seat.fingerprint() + "/" + seat.lastSeenAt().toEpochMilli()), MACHINE_HEARTBEAT_MISSED, license,
                seat.fingerprint(), now, data);
    }

    /** A validation reported usage over a limit: once per license and UTC day (the id names the day). */
    public static OutboxEvent limitExceeded(LicenseRecord license, LocalDate day, String limit, BigDecimal allowed,
            BigDecimal reported, String fingerprint, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("licenseId", license.licenseId());
        data.put("productCode", license.productCode());
        data.put("limit", limit);
        data.put("allowed", allowed == null ? null : allowed.toPlainString());
        data.put("reported", reported == null ? null : reported.toPlainString());
        data.put("fingerprint", fingerprint);
        data.put("day", day.toString());
        data.put("detectedAt", now.toString());
        return new OutboxEvent(OutboxEvent.idFor(LICENSE_LIMIT_EXCEEDED + "/" + license.licenseId() + "/" + day),
                LICENSE_LIMIT_EXCEEDED, now, "license", license.licenseId(), license.licenseId(), license.customerId(),
                json(data));
    }

    private static Map<String, Object> machine(LicenseRecord license, String fingerprint) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("licenseId", license.licenseId());
        data.put("machineId", OutboxEvent.machineId(license.licenseId(), fingerprint));
        data.put("fingerprint", fingerprint);
        return data;
    }

    private static OutboxEvent machineEvent(String id, String type, LicenseRecord license, String fingerprint,
            Instant now, Map<String, Object> data) {
        return new OutboxEvent(id, type, now, "machine", OutboxEvent.machineId(license.licenseId(), fingerprint),
                license.licenseId(), license.customerId(), json(data));
    }

    private static String json(Map<String, Object> data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
