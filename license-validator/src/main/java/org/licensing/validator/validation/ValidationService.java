package org.licensing.validator.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.validator.license.LicenseLookup;
import org.licensing.support.problem.Problems;
import org.licensing.validator.ratelimit.RateLimiter;
import org.licensing.core.receipt.ValidationReceipt;
import org.licensing.validator.receipt.ReceiptSigner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The validation hot path: bounds checks, rate limits, key parse, one cached lookup (at most one consistent
 * GetItem), constant-time secret check, the {@link ValidationFlow} and a signed receipt. Never blocks.
 */
@Singleton
public class ValidationService {

    /** Compared against when the id is unknown, so a miss costs the same hash work as a wrong secret. */
    private static final String ABSENT_HASH = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private final ValidatorConfig config;
    private final LicenseLookup lookup;
    private final RateLimiter rateLimiter;
    private final ReceiptSigner signer;
    private final Clock clock;
    private final ValidationFlow flow = new ValidationFlow();
    private final Map<ValidationCode, Counter> outcomes = new EnumMap<>(ValidationCode.class);

    public ValidationService(ValidatorConfig config, LicenseLookup lookup, RateLimiter rateLimiter,
            ReceiptSigner signer, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.lookup = lookup;
        this.rateLimiter = rateLimiter;
        this.signer = signer;
        this.clock = clock;
        for (ValidationCode code : ValidationCode.values()) {
            outcomes.put(code, Counter.builder("licensing.validations").description("Validation answers by code")
                    .tag("code", code.name()).register(registry));
        }
    }

    public Uni<ValidationAnswer> validate(ValidateRequest request, String clientAddress) {
        if (request == null) {
            throw Problems.badRequest("A JSON body with key, productCode and nonce is required.");
        }
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
        rateLimiter.checkKey(licenseId);
        return lookup.find(licenseId).map(found -> answer(key, found, request));
    }

    private ValidationAnswer answer(LicenseKey key, Optional<LicenseRecord> found, ValidateRequest request) {
        Instant now = clock.instant();
        boolean matches = key.matchesHash(found.map(LicenseRecord::keyHash).orElse(ABSENT_HASH));
        if (!matches || found.isEmpty()) {
            return notFound(request, now);
        }
        LicenseRecord license = found.get();
        CheckResult result = flow.validate(license,
                new ValidationInput(request.productCode(), request.fingerprint(), request.usage(), now));
        outcomes.get(result.code()).increment();
        Instant leaseUntil = now;
        if (result.permitsUse()) {
            Instant cap = result.leaseCap();
            Instant wanted = now.plus(config.lease());
            leaseUntil = wanted.isAfter(cap) ? cap : wanted;
        }
        String receipt = signer.sign(new ValidationReceipt(request.nonce(), result.code().name(), request.productCode(),
                request.fingerprint(), license.licenseId(), now, leaseUntil));
        Long graceRemaining = null;
        if (result.code() == ValidationCode.EXPIRED && result.permitsUse()) {
            graceRemaining = Duration.between(now, license.graceEndsAt()).toSeconds();
        }
        return new ValidationAnswer(result.code(), result.detail(), license.licenseId(), license.expiresAt(),
                license.graceEndsAt(), graceRemaining, license.entitlements(), result.limit(), result.allowed(),
                result.permitsUse() ? leaseUntil : null, receipt);
    }

    private ValidationAnswer notFound(ValidateRequest request, Instant now) {
        outcomes.get(ValidationCode.NOT_FOUND).increment();
        String receipt = signer.sign(new ValidationReceipt(request.nonce(), ValidationCode.NOT_FOUND.name(),
                request.productCode(), request.fingerprint(), null, now, now));
        return new ValidationAnswer(ValidationCode.NOT_FOUND, "No license matches this key.", null, null, null, null,
                null, null, null, null, receipt);
    }
}
