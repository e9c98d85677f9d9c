package org.licensing.notification.reminder;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.notification.config.RemindersConfig;
import org.licensing.notification.email.EmailDeliveryException;
import org.licensing.notification.email.EmailRenderer;
import org.licensing.notification.email.EmailSender;
import org.licensing.notification.email.OutgoingEmail;
import org.licensing.notification.ledger.SendClaim;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.queue.DeliveryResult;
import org.licensing.notification.queue.MessageHandler;
import org.licensing.notification.queue.ReminderMessage;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.store.OutboxEvent;

/**
 * Turns one queued message into at most one email: re-reads the license and asks {@link ReminderRules} whether
 * the reminder still applies (a renewed, revoked, suspended or deleted license gets nothing), claims the send in
 * the send ledger, sends with SES, records it as sent. A failed send releases the claim and answers
 * {@code failed:ses}, so the consumer retries the message. Blocking.
 */
@ApplicationScoped
public class ReminderProcessor implements MessageHandler {

    private static final Logger LOG = Logger.getLogger(ReminderProcessor.class);

    private final LicenseStore store;
    private final SendLedgerStore ledger;
    private final ReminderRules rules;
    private final EmailRenderer renderer;
    private final EmailSender sender;
    private final ReminderMetrics metrics;
    private final RemindersConfig config;
    private final Clock clock;

    public ReminderProcessor(LicenseStore store, SendLedgerStore ledger, ReminderRules rules, EmailRenderer renderer,
            EmailSender sender, ReminderMetrics metrics, RemindersConfig config, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.rules = rules;
        this.renderer = renderer;
        this.sender = sender;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public DeliveryResult handle(ReminderMessage message) {
        return message.type() == ReminderMessage.Type.REMINDER ? reminder(message) : digest(message.date());
    }

    private DeliveryResult reminder(ReminderMessage m) {
        Optional<LicenseRecord> found = store.find(m.licenseId()).join();
        Optional<SkipReason> skip = rules.skipReason(m.expiryDay(), found);
        if (skip.isPresent()) {
            return skip(skip.get(), m);
        }
        LicenseRecord license = found.get();
        EmailRenderer.Rendered rendered = renderer.reminder(rules.reminderView(license, m.expiryDay(),
                m.thresholdDays()));
        String key = SendLedgerStore.reminderKey(m.licenseId(), m.expiryDay(), m.thresholdDays());
        // the reminder's license.expiring-soon event is written with its SENT mark: once per license, threshold, expiry
        return sendOnce(key, "reminder", email(rules.reminderRecipients(license), rendered),
                LicenseEvents.expiringSoon(license, m.expiryDay(), m.thresholdDays(), clock.instant()));
    }

    private DeliveryResult digest(LocalDate date) {
        Map<LocalDate, List<LicenseRecord>> expiring = new LinkedHashMap<>();
        for (LocalDate day : rules.digestDaysFrom(date)) {
            expiring.put(day, store.allByExpiryDay(day).join().licenses());
        }
        EmailRenderer.Rendered rendered = renderer.digest(rules.digest(date, expiring));
        return sendOnce(SendLedgerStore.digestKey(date), "digest", email(rules.digestRecipients(), rendered), null);
    }

    private OutgoingEmail email(ReminderRules.Recipients recipients, EmailRenderer.Rendered rendered) {
        return new OutgoingEmail(config.from(), recipients.to(), recipients.cc(), rendered.subject(), rendered.html(),
                rendered.text());
    }

    private DeliveryResult sendOnce(String key, String kind, OutgoingEmail email, OutboxEvent event) {
        String owner = UUID.randomUUID().toString();
        Duration lease = config.claimLease();
        SendClaim claim = ledger.claim(key, owner, clock.instant(), lease);
        switch (claim.result()) {
            case ALREADY_SENT -> {
                metrics.skipped(SkipReason.DUPLICATE);
                return DeliveryResult.skipped(SkipReason.DUPLICATE.tag());
            }
            case BUSY -> {
                return DeliveryResult.busyUntil(claim.leaseUntil().plus(1, ChronoUnit.SECONDS));
            }
            case CLAIMED -> {
                // fall through to the send
            }
        }
        String messageId;
        try {
            messageId = sender.send(email);
        } catch (EmailDeliveryException e) {
            ledger.release(key, owner);
            return DeliveryResult.failed("ses", e.getMessage());
        }
        List<String> recipients = new ArrayList<>(email.to());
        recipients.addAll(email.cc());
        if (!ledger.markSent(key, owner, clock.instant(), messageId, recipients, event)) {
            LOG.warnf("%s %s was sent after its claim lease (%s) had run out; another sender may have sent it too",
                    kind, key, lease);
        }
        metrics.sent(kind);
        LOG.infof("sent %s %s (SES message %s)", kind, key, messageId);
        return DeliveryResult.sent();
    }

    private DeliveryResult skip(SkipReason reason, ReminderMessage m) {
        metrics.skipped(reason);
        LOG.infof("no reminder for license %s (%d days before %s): %s", m.licenseId(), m.thresholdDays(),
                m.expiryDay(), reason.tag());
        return DeliveryResult.skipped(reason.tag());
    }
}
