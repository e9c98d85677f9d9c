package org.licensing.notification.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings of the reminders ({@code licensing.reminders.*}); the README lists every one. */
@ConfigMapping(prefix = "licensing.reminders")
public interface RemindersConfig {

    /** Days before expiry on which a reminder is sent; 0 means on the day of expiry. */
    @WithDefault("60,30,7,1,0")
    List<Integer> thresholdsDays();

    /** Quartz cron of the daily run, UTC ({@code off} disables it). */
    @WithDefault("0 0 6 * * ?")
    String cron();

    /** The vendor's finance address: copied on every reminder, and the recipient of the daily digest. */
    String vendorFinanceEmail();

    /** Sender address (must be verified in SES). */
    String from();

    /** Who to contact to renew, printed in every reminder; defaults to the vendor finance address. */
    Optional<String> renewalContact();

    String queueUrl();

    String deadLetterQueueUrl();

    /** How long a claim on a reminder stays exclusive; after it, another consumer may send it again. */
    @WithDefault("PT5M")
    Duration claimLease();

    /**
     * Days back the run looks for licenses past their expiry whose {@code license.expired} event is not written yet
     * (besides today): a run missed for up to this many days still publishes them.
     */
    @WithDefault("3")
    int expiredLookbackDays();

    /** Days the daily digest covers, starting with the digest's date. */
    @WithDefault("30")
    int digestDays();

    /** How often the dead-letter depth is read ({@code off} disables it). */
    @WithDefault("60s")
    String deadLetterPollInterval();

    Consumer consumer();

    Ses ses();

    interface Consumer {
        /** Starts the long-poll consumer threads at start-up. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("1")
        int threads();

        /** SQS long-poll wait, 0-20 s. */
        @WithDefault("20")
        int waitTimeSeconds();

        /** Visibility timeout set on each receive: how long a message stays hidden while it is processed. */
        @WithDefault("60")
        int visibilityTimeoutSeconds();

        @WithDefault("10")
        int maxMessages();

        /** After a failed send, the message becomes visible again after this delay (then SQS redelivers it). */
        @WithDefault("PT30S")
        Duration retryDelay();
    }

    interface Ses {
        /** Attempts per send when SES throttles or is unavailable (429, 5xx, I/O). */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("PT10S")
        Duration maxBackoff();

        /** Whole-call timeout of one SES request. */
        @WithDefault("PT10S")
        Duration apiCallTimeout();
    }
}
