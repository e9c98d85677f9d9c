package org.licensing.testsupport;

/** URLs of the reminder queue and its dead-letter queue. */
public record QueueUrls(String queueUrl, String deadLetterQueueUrl, String deadLetterQueueArn) {
}
