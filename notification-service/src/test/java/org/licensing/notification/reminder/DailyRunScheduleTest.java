package org.licensing.notification.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.licensing.notification.config.RemindersConfig;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.WithDefault;

/**
 * The daily run's schedule as shipped: the value of {@code licensing.reminders.cron} outside the test profile (tests
 * switch it off) parses as the Quartz cron Quarkus' scheduler reads (its default cron type), in UTC, and fires at
 * 06:00 UTC every day, as the README says. Parsed with cron-utils, the library Quarkus' scheduler itself uses.
 */
class DailyRunScheduleTest {

    static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    static String configuredCron() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DailyRunScheduleTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties.getProperty("licensing.reminders.cron");
    }

    static ZonedDateTime utc(String text) {
        return ZonedDateTime.parse(text).withZoneSameInstant(ZoneOffset.UTC);
    }

    @Test
    void theDailyRunFiresAtSixUtcEveryDay() throws Exception {
        Scheduled scheduled = ReminderRunService.class.getDeclaredMethod("daily").getAnnotation(Scheduled.class);
        assertEquals("${licensing.reminders.cron}", scheduled.cron());
        assertEquals("UTC", scheduled.timeZone());

        String cron = configuredCron();
        assertEquals(cron, RemindersConfig.class.getMethod("cron").getAnnotation(WithDefault.class).value(),
                "application.properties and the config default say the same");
        ExecutionTime daily = ExecutionTime.forCron(QUARTZ.parse(cron));

        assertEquals(utc("2026-12-01T06:00:00Z"), daily.nextExecution(utc("2026-12-01T05:59:59Z")).orElseThrow());
        assertEquals(utc("2026-12-02T06:00:00Z"), daily.nextExecution(utc("2026-12-01T06:00:00Z")).orElseThrow());
        assertEquals(utc("2027-01-01T06:00:00Z"), daily.nextExecution(utc("2026-12-31T06:00:01Z")).orElseThrow());
        assertEquals(utc("2028-02-29T06:00:00Z"), daily.nextExecution(utc("2028-02-28T07:00:00Z")).orElseThrow());
        // UTC has no daylight saving: the last Sunday of March (Europe) changes nothing.
        assertEquals(utc("2027-03-28T06:00:00Z"), daily.nextExecution(utc("2027-03-27T06:00:00Z")).orElseThrow());
    }
}
