package org.licensing.notification.queue;

/**
 * What the consumer hands each decoded message to (the reminder feature implements it): the queue moves messages,
 * the handler decides what a message means. Blocking; a runtime exception counts as an unexpected failure and SQS
 * redelivers the message after its visibility timeout.
 */
public interface MessageHandler {

    DeliveryResult handle(ReminderMessage message);
}
