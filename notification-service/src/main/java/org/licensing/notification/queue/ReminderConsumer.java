package org.licensing.notification.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/**
 * One long-poll consumer of the reminder queue: decodes each message and hands it to the {@link MessageHandler}.
 * A message is deleted only once the handler is done with it (its email is recorded as sent, or it no longer
 * applies); anything else leaves it in the queue, so SQS redelivers it and, after {@code maxReceiveCount} receives,
 * moves it to the dead-letter queue. Several consumers (threads, replicas) may run at once: the handler's send
 * ledger keeps it to one email per reminder.
 */
public class ReminderConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(ReminderConsumer.class);

    private final ReminderQueue queue;
    private final MessageHandler handler;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final int maxMessages;
    private final int waitSeconds;
    private final int visibilitySeconds;
    private final Duration retryDelay;
    private volatile boolean running = true;

    public ReminderConsumer(ReminderQueue queue, MessageHandler handler, QueueMetrics metrics, Clock clock,
            int maxMessages, int waitSeconds, int visibilitySeconds, Duration retryDelay) {
        this.queue = queue;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.maxMessages = maxMessages;
        this.waitSeconds = waitSeconds;
        this.visibilitySeconds = visibilitySeconds;
        this.retryDelay = retryDelay;
    }

    @Override
    public void run() {
        LOG.infof("reminder consumer %s started", Thread.currentThread().getName());
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                pollOnce(waitSeconds);
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.errorf("reminder consumer: receiving failed (%s); retrying in 5 s", e.toString());
                sleepQuietly(Duration.ofSeconds(5));
            }
        }
        LOG.infof("reminder consumer %s stopped", Thread.currentThread().getName());
    }

    public void stop() {
        running = false;
    }

    /** One receive (long-polling up to {@code wait} seconds) and the processing of what came; returns the count. */
    public int pollOnce(int wait) {
        List<Message> messages = queue.receive(maxMessages, wait, visibilitySeconds);
        for (Message message : messages) {
            handle(message);
        }
        return messages.size();
    }

    void handle(Message message) {
        ReminderMessage decoded;
        try {
            decoded = queue.decode(message.body());
        } catch (MalformedMessageException e) {
            metrics.failed("malformed");
            LOG.warnf("poison message %s (receive %d): %s; left for the dead-letter queue", message.messageId(),
                    ReminderQueue.receiveCount(message), e.getMessage());
            return;
        }
        try {
            DeliveryResult result = handler.handle(decoded);
            switch (result.status()) {
                case DONE -> deleteDone(message, result);
                case BUSY -> {
                    // Another sender holds the claim: look again soon (it has usually sent by then), at the latest
                    // when its lease ends.
                    long untilLeaseEnds = Duration.between(clock.instant(), result.retryAt()).toSeconds() + 1;
                    queue.retryLater(message, Math.min(untilLeaseEnds, retryDelay.toSeconds()));
                }
                case FAILED -> {
                    metrics.failed(result.result());
                    LOG.warnf("message %s (receive %d): %s; retrying in %s", message.messageId(),
                            ReminderQueue.receiveCount(message), result.detail(), retryDelay);
                    retryQuietly(message);
                }
            }
        } catch (RuntimeException e) {
            metrics.failed("error");
            LOG.errorf(e, "message %s (receive %d) failed; SQS will redeliver it", message.messageId(),
                    ReminderQueue.receiveCount(message));
        }
    }

    private void deleteDone(Message message, DeliveryResult result) {
        try {
            queue.delete(message);
        } catch (ReceiptHandleIsInvalidException e) {
            // Processing outlasted the visibility timeout and SQS handed the message to another receive; that
            // delivery finds the ledger entry and deletes it.
            LOG.infof("message %s (%s) was redelivered while being processed; its redelivery will be dropped",
                    message.messageId(), result.result());
        }
    }

    private void retryQuietly(Message message) {
        try {
            queue.retryLater(message, retryDelay.toSeconds());
        } catch (RuntimeException e) {
            LOG.warnf("could not shorten the visibility of %s: %s", message.messageId(), e.toString());
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
