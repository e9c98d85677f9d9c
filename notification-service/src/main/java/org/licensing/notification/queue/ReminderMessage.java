package org.licensing.notification.queue;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The body of one queued message: either a reminder for (license, threshold, expiry day) or the daily digest of a
 * date. Serialized as JSON by {@link ReminderQueue}.
 *
 * @param expiryDay the license's expiry day when the run queued it; a license renewed since has another one
 */
public record ReminderMessage(Type type, String licenseId, LocalDate expiryDay, Integer thresholdDays,
        LocalDate date) {

    public enum Type {
        REMINDER,
        DIGEST
    }

    public ReminderMessage {
        Objects.requireNonNull(type, "type");
        if (type == Type.REMINDER) {
            if (licenseId == null || licenseId.isBlank() || expiryDay == null || thresholdDays == null
                    || thresholdDays < 0) {
                throw new IllegalArgumentException("a reminder needs licenseId, expiryDay and thresholdDays >= 0");
            }
        } else if (date == null) {
            throw new IllegalArgumentException("a digest needs a date");
        }
    }

    public static ReminderMessage reminder(String licenseId, LocalDate expiryDay, int thresholdDays) {
        return new ReminderMessage(Type.REMINDER, licenseId, expiryDay, thresholdDays, null);
    }

    public static ReminderMessage digest(LocalDate date) {
        return new ReminderMessage(Type.DIGEST, null, null, null, date);
    }
}
