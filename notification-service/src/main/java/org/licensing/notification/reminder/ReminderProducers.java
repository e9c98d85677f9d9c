package org.licensing.notification.reminder;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.notification.config.RemindersConfig;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.queue.ReminderQueue;
import org.licensing.store.LicenseStore;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Makes the plain reminder classes (also built without CDI by the benchmark and the unit tests) beans; the clock
 * and the license store come from service-support.
 */
@ApplicationScoped
public class ReminderProducers {

    @Produces
    @Singleton
    ReminderMetrics reminderMetrics(MeterRegistry registry) {
        return new ReminderMetrics(registry);
    }

    @Produces
    @Singleton
    ReminderRules reminderRules(RemindersConfig config) {
        return new ReminderRules(config.vendorFinanceEmail(),
                config.renewalContact().orElse(config.vendorFinanceEmail()), config.digestDays());
    }

    @Produces
    @Singleton
    ReminderPlanner reminderPlanner(LicenseStore store, ReminderQueue queue, RemindersConfig config,
            ReminderMetrics metrics) {
        return new ReminderPlanner(store, queue, config.thresholdsDays(), metrics);
    }

    @Produces
    @Singleton
    ExpiredLicenses expiredLicenses(LicenseStore store, SendLedgerStore ledger, RemindersConfig config) {
        return new ExpiredLicenses(store, ledger, config.expiredLookbackDays());
    }

    @Produces
    @Singleton
    ReminderHistory reminderHistory(LicenseStore store, SendLedgerStore ledger, RemindersConfig config, Clock clock) {
        return new ReminderHistory(store, ledger, config.thresholdsDays(), clock);
    }
}
