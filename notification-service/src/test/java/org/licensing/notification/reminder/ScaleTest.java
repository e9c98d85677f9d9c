package org.licensing.notification.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.LicenseLoader;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;

import io.quarkus.test.common.WithTestResource;

/**
 * Thousands of licenses spread over a year: the daily run reads exactly the thresholds' buckets. (The 100,000-record
 * figures come from bench/run.sh; this keeps CI short.)
 */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class ScaleTest {

    static final int LICENSES = 5_000;

    @Inject
    ReminderRunService runs;

    @AfterEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    @Test
    void theDailyRunReadsOnlyTheDaysBuckets() {
        // A year of its own (its block in Fixtures' table): the whole year's buckets are this test's.
        LocalDate yearStart = Fixtures.nextYear(ScaleTest.class).atDay(1);
        Map<LocalDate, Integer> perDay = new HashMap<>();
        List<LocalDate> expiries = new ArrayList<>();
        for (int i = 0; i < LICENSES; i++) {
            LocalDate day = yearStart.plusDays((i * 7919L) % 365);
            expiries.add(day);
            perDay.merge(day, 1, Integer::sum);
        }
        long loadMs = LicenseLoader.load(LocalBackends.shared().dynamoDbClient(), expiries,
                day -> Fixtures.license(day, LicenseStatus.ACTIVE));
        System.out.printf("ScaleTest: loaded %d licenses over 365 days in %d ms%n", LICENSES, loadMs);

        LocalDate date = yearStart.plusDays(100);
        long expected = 0;
        for (int t : runs.run(date).thresholdsDays()) {
            expected += perDay.getOrDefault(date.plusDays(t), 0);
        }
        long started = System.nanoTime();
        RunSummary summary = runs.run(date);
        System.out.printf("ScaleTest: daily run read %d items for %d licenses in %d ms%n", summary.itemsRead(),
                summary.licensesRead(), (System.nanoTime() - started) / 1_000_000);

        assertTrue(expected > 0);
        assertEquals(expected, summary.licensesRead());
        assertEquals(expected, summary.itemsRead(), "only the thresholds' buckets are read");
        assertEquals(expected, summary.messagesQueued());
        assertTrue(summary.itemsRead() * 50 < LICENSES, "a small fraction of the table");
    }
}
