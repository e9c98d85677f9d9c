package org.licensing.validator.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.licensing.store.Activation;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.license.LicenseCache;

import io.smallrye.mutiny.Uni;

/**
 * The events a request notices rather than makes: a validation over a limit ({@code license.limit-exceeded}, once per
 * license per UTC day) and floating seats whose machines missed their heartbeats ({@code machine.heartbeat-missed},
 * the seat freed with it). Both write only when there is something new to record (the record read says no event
 * today / a seat lapsed), so the hot path gets no write per request; the write's condition settles races between
 * requests and validators. Never fails the request: a failed write is logged and tried again by a later request.
 */
@Singleton
public class ValidationEvents {

    private static final Logger LOG = Logger.getLogger(ValidationEvents.class);

    private final LicenseItemWrites writes;
    private final LicenseCache licenses;

    public ValidationEvents(LicenseItemWrites writes, LicenseCache licenses) {
        this.writes = writes;
        this.licenses = licenses;
    }

    /** Online seats that lapsed by {@code now} (no heartbeat for {@code heartbeatHours}); none without a heartbeat. */
    public static List<String> lapsedSeats(LicenseRecord license, Instant now) {
        Instant cutoff = license.heartbeatCutoff(now);
        if (cutoff == null) {
            return List.of();
        }
        return license.activations().values().stream().filter(a -> !a.isCheckout() && !a.holds(now, cutoff))
                .map(Activation::fingerprint).sorted().toList();
    }

    /**
     * After a validation: today's limit-exceeded event when {@code exceededLimit} is set and none was recorded today,
     * and the lapsed seats freed with their events.
     */
    public Uni<Void> afterValidation(LicenseRecord license, String exceededLimit, BigDecimal allowed,
            Map<String, BigDecimal> usage, String fingerprint, Instant now) {
        Uni<LicenseRecord> current = Uni.createFrom().item(license);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (exceededLimit != null && !today.toString().equals(license.limitExceededDay())) {
            BigDecimal reported = usage == null ? null : usage.get(exceededLimit);
            current = write(license, Uni.createFrom().completionStage(() -> writes.limitExceeded(license, today,
                    ValidatorEvents.limitExceeded(license, today, exceededLimit, allowed, reported, fingerprint, now),
                    now)), "limit-exceeded");
        }
        return current.chain(l -> lapsed(l, now)).replaceWithVoid();
    }

    /** Frees the license's lapsed seats with their heartbeat-missed events, if any; the record after. */
    public Uni<LicenseRecord> lapsed(LicenseRecord license, Instant now) {
        List<String> lapsed = lapsedSeats(license, now);
        if (lapsed.isEmpty()) {
            return Uni.createFrom().item(license);
        }
        return write(license, Uni.createFrom().completionStage(() -> writes.prune(license, lapsed,
                license.heartbeatCutoff(now), now)), "heartbeat-missed");
    }

    private Uni<LicenseRecord> write(LicenseRecord license, Uni<LicenseRecord> write, String what) {
        return write.chain(updated -> {
            if (updated != null) {
                licenses.remember(updated);
                return Uni.createFrom().item(updated);
            }
            // another request or validator changed it first: read what it wrote, so this one stops retrying
            return licenses.findFresh(license.licenseId()).map(found -> found.orElse(license));
        }).onFailure().recoverWithItem(e -> {
            LOG.warnf("%s event of license %s not recorded (a later request retries): %s", what,
                    license.licenseId(), e.toString());
            return license;
        });
    }
}
