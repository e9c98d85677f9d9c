package org.licensing.validator.validation;

import java.util.Optional;

import org.licensing.store.LicenseRecord;

/** One step of the validation flow: empty when it passes, else the refusal. */
@FunctionalInterface
public interface Check {
    Optional<CheckResult> apply(LicenseRecord license, ValidationInput input);
}
