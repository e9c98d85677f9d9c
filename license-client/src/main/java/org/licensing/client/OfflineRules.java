package org.licensing.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What an answer from stored signed content (a cached receipt, a license file) must pass before the product may run:
 * the clock not turned back, the lease not over (receipts), the usage within the signed limits.
 */
final class OfflineRules {

    private OfflineRules() {
    }

    /**
     * @param signedIat the {@code iat} of the receipt or file behind {@code answer}
     * @param signedEnd the signed end of that statement (a receipt's lease, a checkout's end): how far this run may
     *     raise the trusted time
     * @param lease whether the answer's lease end applies (receipts; a license file's end is its grace end)
     */
    static LicenseAnswer apply(LicenseAnswer answer, Instant signedIat, Instant signedEnd,
            Map<String, BigDecimal> used, boolean lease, TrustedClock clock) {
        Instant now = clock.now();
        Instant floor = clock.turnedBack(now, signedIat, signedEnd);
        if (!answer.usable()) {
            return answer;
        }
        if (floor != null) {
            return answer.refused(LicenseCode.CLOCK_TAMPERED, "The system clock (" + now + ") is earlier than the"
                    + " latest trusted time (" + floor + ") by more than " + clock.tolerance(), null);
        }
        if (lease && !now.isBefore(answer.leaseUntil())) {
            return answer.refused(LicenseCode.OFFLINE_EXPIRED, answer.detail() + "; its lease ended at "
                    + answer.leaseUntil() + ": the license cannot be confirmed", null);
        }
        Optional<String> exceeded = answer.entitlements().exceeded(used);
        if (exceeded.isPresent()) {
            String name = exceeded.get();
            return answer.refused(LicenseCode.LIMIT_EXCEEDED, "Usage " + name + " " + used.get(name).toPlainString()
                    + " exceeds the licensed " + answer.entitlements().limits().get(name).toPlainString(), name);
        }
        return answer;
    }
}
