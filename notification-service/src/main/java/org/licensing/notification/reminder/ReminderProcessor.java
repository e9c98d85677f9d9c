package org.licensing.notification.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.notification.config.RemindersConfig;
import org.licensing.notification.email.DigestView;
import org.licensing.notification.email.EmailDeliveryException;
import org.licensing.notification.email.EmailRenderer;
import org.licensing.notification.email.EmailSender;
import org.licensing.notification.email.OutgoingEmail;
import org.licensing.notification.email.ReminderView;
import org.licensing.notification.ledger.SendLedger;
import org.licensing.notification.reminder.ReminderMetrics;

/**
 * Turns one queued message into at most one email: re-reads the license (a renewed, revoked, suspended or deleted
 * license gets nothing), claims the send in the ledger, sends with SES, records it as sent. Blocking.
 */
@ApplicationScoped
public class MessageProcessor {

    private static final Logger LOG = Logger.getLogger(MessageProcessor.class);

    private final LicenseStore store;
    private final SendLedger ledger;
    private final EmailRenderer renderer;
    private final EmailSender sender;
    private final ReminderMetrics metrics;
    private final RemindersConfig config;
    private final Clock clock;

    public MessageProcessor(LicenseStore store, SendLedger ledger, EmailRenderer renderer, EmailSender sender,
            ReminderMetrics metrics, RemindersConfig config, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.renderer = renderer;
        this.sender = sender;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public Outcome process(ReminderMessage message) {
        return message.type() == ReminderMessage.Type.REMINDER ? reminder(message) : digest(message.date());
    }

    private Outcome reminder(ReminderMessage m) {
        Optional<LicenseRecord> found = store.find(m.licenseId()).join();
        if (found.isEmpty()) {
            return skip("deleted", m);
        }
        LicenseRecord license = found.get();
        if (!license.expiryDay().equals(m.expiryDay())) {
            return skip("renewed", m);
        }
        if (license.status() == LicenseStatus.REVOKED) {
            return skip("revoked", m);
        }
        if (license.status() == LicenseStatus.SUSPENDED) {
            return skip("suspended", m);
        }
        List<String> to = new ArrayList<>(license.financeEmails());
        List<String> cc = new ArrayList<>();
        if (to.isEmpty()) {
            to.add(config.vendorFinanceEmail());
        } else if (to.stream().noneMatch(config.vendorFinanceEmail()::equalsIgnoreCase)) {
            cc.add(config.vendorFinanceEmail());
        }
        EmailRenderer.Rendered rendered = renderer.reminder(new ReminderView(license.licenseId(),
                license.customerId(), nameOr(license.customerName(), license.customerId()), license.productCode(),
                nameOr(license.productName(), license.productCode()), m.expiryDay().toString(), m.thresholdDays(),
                config.renewalContact().orElse(config.vendorFinanceEmail())));
        String key = SendLedger.reminderKey(m.licenseId(), m.expiryDay(), m.thresholdDays());
        return sendOnce(key, "reminder", new OutgoingEmail(config.from(), to, cc, rendered.subject(), rendered.html(),
                rendered.text()));
    }

    private Outcome digest(LocalDate date) {
        List<DigestView.Line> lines = new ArrayList<>();
        for (int d = 0; d < config.digestDays(); d++) {
            LocalDate day = date.plusDays(d);
            for (LicenseRecord l : store.allByExpiryDay(day).join().licenses()) {
                lines.add(new DigestView.Line(l.licenseId(), nameOr(l.customerName(), l.customerId()),
                        nameOr(l.productName(), l.productCode()), day.toString(), d, l.status().name()));
            }
        }
        EmailRenderer.Rendered rendered = renderer.digest(new DigestView(date.toString(), config.digestDays(), lines));
        return sendOnce(SendLedger.digestKey(date), "digest", new OutgoingEmail(config.from(),
                List.of(config.vendorFinanceEmail()), List.of(), rendered.subject(), rendered.html(), rendered.text()));
    }

    private Outcome sendOnce(String key, String kind, OutgoingEmail email) {
        String owner = UUID.randomUUID().toString();
        Duration lease = config.claimLease();
        SendLedger.Claim claim = ledger.claim(key, owner, clock.instant(), lease);
        switch (claim.outcome()) {
            case ALREADY_SENT -> {
                metrics.skipped("duplicate");
                return Outcome.skipped("duplicate");
            }
            case BUSY -> {
                return Outcome.busyUntil(claim.leaseUntil().plus(1, ChronoUnit.SECONDS));
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
            throw e;
        }
        if (!ledger.markSent(key, owner, clock.instant(), messageId)) {
            LOG.warnf("%s %s was sent after its claim lease (%s) had run out; another sender may have sent it too",
                    kind, key, lease);
        }
        metrics.sent(kind);
        LOG.infof("sent %s %s (SES message %s)", kind, key, messageId);
        return Outcome.sent();
    }

    private Outcome skip(String reason, ReminderMessage m) {
        metrics.skipped(reason);
        LOG.infof("no reminder for license %s (%d days before %s): %s", m.licenseId(), m.thresholdDays(),
                m.expiryDay(), reason);
        return Outcome.skipped(reason);
    }

    private static String nameOr(String name, String fallback) {
        return name == null || name.isBlank() ? fallback : name;
    }

    Instant now() {
        return clock.instant();
    }
}
