package org.licensing.validator.validation;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.license.Entitlements;
import org.licensing.core.receipt.ValidationReceipt;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.validator.event.ValidationEvents;
import org.licensing.validator.license.KeyCheck;
import org.licensing.validator.license.LicenseCache;
import org.licensing.validator.ratelimit.RateLimiter;
import org.licensing.validator.receipt.ReceiptSigner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The validation hot path: bounds checks, the client's rate limit, key parse, one cached lookup (at most one
 * consistent GetItem), constant-time secret check, the license's (or the failed attempts') rate limit, the
 * {@link ValidationFlow} and a signed receipt. Never blocks.
 */
@Singleton
public class ValidationService {

    private final ValidatorConfig config;
    private final LicenseCache licenses;
    private final RateLimiter rateLimiter;
    private final ReceiptSigner signer;
    private final ValidationEvents events;
    private final Clock clock;
    private final ValidationFlow flow = new ValidationFlow();
    private final Map<ValidationCode, Counter> outcomes = new EnumMap<>(ValidationCode.class);

    public ValidationService(ValidatorConfig config, LicenseCache licenses, RateLimiter rateLimiter,
            ReceiptSigner signer, ValidationEvents events, Clock clock, MeterRegistry registry) {
        this.events = events;
        this.config = config;
        this.licenses = licenses;
        this.rateLimiter = rateLimiter;
        this.signer = signer;
        this.clock = clock;
        for (ValidationCode code : ValidationCode.values()) {
            outcomes.put(code, Counter.builder("licensing.validations").description("Validation answers by code")
                    .tag("code", code.name()).register(registry));
        }
    }

    /** {@code request} is a parsed body (never null); {@code clientAddress} the rate-limited client. */
    public Uni<ValidationAnswer> validate(ValidateRequest request, String clientAddress) {
        RequestRules.nonce(request.nonce(), config);
        RequestRules.productCode(request.productCode());
        RequestRules.fingerprint(request.fingerprint(), config, false);
        RequestRules.usage(request.usage());
        rateLimiter.checkClient(clientAddress);
        LicenseKey key;
        try {
            key = LicenseKey.parse(request.key());
        } catch (MalformedLicenseKeyException e) {
            outcomes.get(ValidationCode.MALFORMED_KEY).increment();
            throw ValidationProblems.malformedKey(e);
        }
        String licenseId = key.licenseId().toString();
        return licenses.find(licenseId).chain(found -> {
            Optional<LicenseRecord> opened = KeyCheck.opened(key, found);
            // The license's bucket only once the secret matched: wrong secrets have their own per client.
            if (opened.isPresent()) {
                rateLimiter.chargeLicense(licenseId);
            } else {
                rateLimiter.chargeFailure(licenseId, clientAddress);
            }
            Instant now = clock.instant();
            if (opened.isEmpty()) {
                outcomes.get(ValidationCode.NOT_FOUND).increment();
                return Uni.createFrom().item(
                        ValidationAnswer.notFound(sign(request, ValidationCode.NOT_FOUND, null, null, now, now)));
            }
            LicenseRecord license = opened.get();
            CheckResult result = flow.validate(license,
                    new ValidationInput(request.productCode(), request.fingerprint(), request.usage(), now));
            ValidationAnswer answer = answer(license, result, request, now);
            // Writes only when there is news: a limit exceeded not yet recorded today, a seat that lapsed.
            boolean exceeded = result.code() == ValidationCode.LIMIT_EXCEEDED;
            if (!exceeded && ValidationEvents.lapsedSeats(license, now).isEmpty()) {
                return Uni.createFrom().item(answer);
            }
            return events.afterValidation(license, exceeded ? result.limit() : null, result.allowed(),
                    request.usage(), request.fingerprint(), now).replaceWith(answer);
        });
    }

    private ValidationAnswer answer(LicenseRecord license, CheckResult result, ValidateRequest request, Instant now) {
        outcomes.get(result.code()).increment();
        Instant leaseUntil = now;
        if (result.permitsUse()) {
            Instant cap = result.leaseCap();
            Instant wanted = now.plus(config.lease());
            leaseUntil = wanted.isAfter(cap) ? cap : wanted;
        }
        String receipt = sign(request, result.code(), license.licenseId(), license.entitlements(), now, leaseUntil);
        return ValidationAnswer.of(license, result, now, leaseUntil, receipt);
    }

    /**
     * The receipt: {@code leaseUntil} is {@code now} for every answer that permits no use (no offline use); the
     * license's entitlements are signed in, so a product checks usage offline against limits it can trust.
     */
    private String sign(ValidateRequest request, ValidationCode code, String licenseId, Entitlements entitlements,
            Instant now, Instant leaseUntil) {
        return signer.sign(new ValidationReceipt(request.nonce(), code.name(), request.productCode(),
                request.fingerprint(), licenseId, now, leaseUntil, entitlements));
    }
}
