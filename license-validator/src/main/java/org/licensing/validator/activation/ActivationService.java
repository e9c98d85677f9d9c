package org.licensing.validator.activation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.store.Activation;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.validator.event.LicenseItemWrites;
import org.licensing.validator.event.ValidationEvents;
import org.licensing.validator.license.KeyCheck;
import org.licensing.validator.license.LicenseCache;
import org.licensing.validator.ratelimit.RateLimiter;
import org.licensing.validator.validation.CheckResult;
import org.licensing.validator.validation.RequestRules;
import org.licensing.validator.validation.ValidationCode;
import org.licensing.validator.validation.ValidationFlow;
import org.licensing.validator.validation.ValidationInput;
import org.licensing.validator.validation.ValidationProblems;

import io.smallrye.mutiny.Uni;

/**
 * Machine activation, heartbeat and deactivation. Each attempt reads the record (one consistent GetItem), decides,
 * and writes one conditional UpdateItem; when the condition fails (a concurrent change) it re-reads and decides
 * again, a bounded number of times. The activation limit therefore holds under any concurrency.
 */
@Singleton
public class ActivationService {

    static final int ATTEMPTS = 8;
    private static final ValidationFlow FLOW = new ValidationFlow();

    private final ValidatorConfig config;
    private final LicenseCache licenses;
    private final ActivationStore activations;
    private final LicenseItemWrites writes;
    private final ValidationEvents events;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    public ActivationService(ValidatorConfig config, LicenseCache licenses, ActivationStore activations,
            LicenseItemWrites writes, ValidationEvents events, RateLimiter rateLimiter, Clock clock) {
        this.config = config;
        this.licenses = licenses;
        this.activations = activations;
        this.writes = writes;
        this.events = events;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
    }

    /** The outcome of an activation: the machine and whether it was newly added. */
    public record Activated(LicenseRecord license, Activation activation, boolean created) {
    }

    public Uni<Activated> activate(String keyText, String fingerprint, String productCode, String client) {
        RequestRules.fingerprint(fingerprint, config, true);
        if (productCode != null) {
            RequestRules.productCode(productCode);
        }
        LicenseKey key = parse(keyText, client);
        return activateAttempt(key, client, fingerprint, productCode, 1);
    }

    private Uni<Activated> activateAttempt(LicenseKey key, String client, String fingerprint, String productCode,
            int attempt) {
        String id = key.licenseId().toString();
        return licenses.findFresh(id).chain(found -> {
            LicenseRecord license = attempt == 1 ? opened(key, found, client) : opened(key, found);
            Instant now = clock.instant();
            refuseUnusable(license, productCode, now);
            Map<String, Activation> counting = ValidationFlow.countingActivations(license, now);
            if (counting.containsKey(fingerprint)) {
                return Uni.createFrom().completionStage(activations.touch(id, fingerprint, now, cutoff(license, now)))
                        .chain(updated -> updated == null
                                ? retry(attempt, () -> activateAttempt(key, client, fingerprint, productCode, attempt + 1))
                                : done(updated, fingerprint, false));
            }
            List<String> lapsed = license.activations().keySet().stream().filter(fp -> !counting.containsKey(fp)).toList();
            if (!lapsed.isEmpty()) {
                // Floating seats: drop lapsed machines first (conditional on them still being lapsed), then decide again.
                return Uni.createFrom().completionStage(writes.prune(license, lapsed, cutoff(license, now), now))
                        .chain(ignored -> retry(attempt, () -> activateAttempt(key, client, fingerprint, productCode, attempt + 1)));
            }
            if (license.maxActivations() > 0 && license.activations().size() >= license.maxActivations()) {
                return Uni.createFrom().failure(ActivationProblems.tooManyActivations(license.maxActivations()));
            }
            return Uni.createFrom().completionStage(activations.add(license, fingerprint, now))
                    .chain(updated -> updated == null
                            ? retry(attempt, () -> activateAttempt(key, client, fingerprint, productCode, attempt + 1))
                            : done(updated, fingerprint, true));
        });
    }

    public Uni<Activated> heartbeat(String keyText, String fingerprint, String client) {
        RequestRules.fingerprint(fingerprint, config, true);
        LicenseKey key = parse(keyText, client);
        String id = key.licenseId().toString();
        return licenses.find(id).chain(found -> {
            LicenseRecord license = opened(key, found, client);
            Instant now = clock.instant();
            return Uni.createFrom().completionStage(activations.touch(id, fingerprint, now, cutoff(license, now)))
                    .chain(updated -> updated == null
                            ? Uni.createFrom().failure(ActivationProblems.activationNotFound())
                            // the other machines' heartbeats are due too: free the seats that missed theirs
                            : events.lapsed(updated, now).chain(after -> done(after, fingerprint, false)));
        });
    }

    public Uni<LicenseRecord> deactivate(String keyText, String fingerprint, String client) {
        RequestRules.fingerprint(fingerprint, config, true);
        LicenseKey key = parse(keyText, client);
        return deactivateAttempt(key, client, fingerprint, 1);
    }

    private Uni<LicenseRecord> deactivateAttempt(LicenseKey key, String client, String fingerprint, int attempt) {
        String id = key.licenseId().toString();
        return licenses.findFresh(id).chain(found -> {
            LicenseRecord license = attempt == 1 ? opened(key, found, client) : opened(key, found);
            Activation seat = license.activations().get(fingerprint);
            if (seat == null) {
                return Uni.createFrom().failure(ActivationProblems.activationNotFound());
            }
            if (seat.isCheckout()) {
                return Uni.createFrom().failure(ActivationProblems.checkoutSeat());
            }
            Instant now = clock.instant();
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            boolean sameDay = today.toString().equals(license.deactivationDay());
            int max = license.maxDeactivationsPerDay();
            if (sameDay && max > 0 && license.deactivationsOnDay() >= max) {
                Instant opensAt = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                long retryAfter = Math.max(1, Duration.between(now, opensAt).toSeconds());
                return Uni.createFrom().failure(ActivationProblems.deactivationLimit(max, opensAt, retryAfter));
            }
            return Uni.createFrom().completionStage(activations.remove(license, seat, today, sameDay, now))
                    .chain(updated -> {
                        if (updated == null) {
                            return retry(attempt, () -> deactivateAttempt(key, client, fingerprint, attempt + 1));
                        }
                        licenses.remember(updated);
                        return Uni.createFrom().item(updated);
                    });
        });
    }

    /** The client's rate limit, then the key's format; the license's limit waits for the secret check. */
    private LicenseKey parse(String keyText, String client) {
        rateLimiter.checkClient(client);
        if (keyText == null || keyText.isBlank()) {
            throw ValidationProblems.malformedKey("A license key is required (body field key, or header Authorization: License <key>).");
        }
        try {
            return LicenseKey.parse(keyText);
        } catch (MalformedLicenseKeyException e) {
            throw ValidationProblems.malformedKey(e);
        }
    }

    /**
     * The record when the key's secret matches, charged to the license's rate limit; otherwise the failure is charged
     * to the (license id, client) bucket and the answer is the same 404 as for an unknown id (429 once that bucket is
     * empty). Charged once per request: retries after a concurrent change use {@link #opened(LicenseKey, Optional)}.
     */
    private LicenseRecord opened(LicenseKey key, Optional<LicenseRecord> found, String client) {
        String id = key.licenseId().toString();
        Optional<LicenseRecord> opened = KeyCheck.opened(key, found);
        if (opened.isEmpty()) {
            rateLimiter.chargeFailure(id, client);
            throw ValidationProblems.licenseNotFound();
        }
        rateLimiter.chargeLicense(id);
        return opened.get();
    }

    /** The record when the key's secret matches; otherwise the same 404 as for an unknown id. */
    private static LicenseRecord opened(LicenseKey key, Optional<LicenseRecord> found) {
        return KeyCheck.opened(key, found).orElseThrow(ValidationProblems::licenseNotFound);
    }

    /** Activation needs a usable license: the hard checks of the validation flow (not machine or usage ones). */
    private static void refuseUnusable(LicenseRecord license, String productCode, Instant now) {
        ValidationInput input = new ValidationInput(productCode == null ? license.productCode() : productCode, null,
                Map.of(), now);
        CheckResult result = FLOW.validate(license, input);
        // The machine checks do not apply: activating is how a machine gets counted.
        if (!result.permitsUse() && result.code() != ValidationCode.TOO_MANY_ACTIVATIONS
                && result.code() != ValidationCode.FINGERPRINT_MISMATCH) {
            throw ValidationProblems.licenseRefused(result.code(), result.detail());
        }
    }

    private static Instant cutoff(LicenseRecord license, Instant now) {
        return license.heartbeatHours() > 0 ? now.minus(Duration.ofHours(license.heartbeatHours())) : null;
    }

    private Uni<Activated> done(LicenseRecord updated, String fingerprint, boolean created) {
        licenses.remember(updated);
        return Uni.createFrom().item(new Activated(updated, updated.activations().get(fingerprint), created));
    }

    private static <T> Uni<T> retry(int attempt, Supplier<Uni<T>> next) {
        if (attempt >= ATTEMPTS) {
            return Uni.createFrom().failure(ActivationProblems.busy());
        }
        return next.get();
    }
}
