package org.licensing.store;

/**
 * Names and limits of the reminder queues, defined once for the notification service, the test harness and infra.
 */
public final class ReminderQueues {

    public static final String DEFAULT_QUEUE = "license-reminders";
    public static final String DEFAULT_DEAD_LETTER_QUEUE = "license-reminders-dlq";
    /** A message received this many times without being deleted moves to the dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = 5;
    public static final int VISIBILITY_TIMEOUT_SECONDS = 60;
    /** Dead letters are kept for the longest SQS allows, so an operator can redrive them. */
    public static final int DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

    private ReminderQueues() {
    }
}
