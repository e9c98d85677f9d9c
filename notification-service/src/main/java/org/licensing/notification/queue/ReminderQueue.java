package org.licensing.notification.queue;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The reminder queue and its dead-letter queue: the only class that talks to SQS. Blocking. */
public class ReminderQueue {

    /** SQS batch size limit. */
    static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final ObjectMapper json;

    public ReminderQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl, ObjectMapper json) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.json = json;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /** Sends every message (in batches of ten); throws if SQS refuses any of them after one retry. */
    public void sendAll(List<ReminderMessage> messages) {
        for (int i = 0; i < messages.size(); i += BATCH) {
            List<String> bodies = messages.subList(i, Math.min(messages.size(), i + BATCH)).stream()
                    .map(this::encode).toList();
            sendBodies(queueUrl, bodies);
        }
    }

    private void sendBodies(String url, List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int j = 0; j < bodies.size(); j++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j)).messageBody(bodies.get(j))
                    .build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        if (response.hasFailed() && !response.failed().isEmpty()) {
            List<SendMessageBatchRequestEntry> retry = new ArrayList<>();
            for (BatchResultErrorEntry failed : response.failed()) {
                retry.add(entries.get(Integer.parseInt(failed.id())));
            }
            SendMessageBatchResponse second = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(retry));
            if (second.hasFailed() && !second.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + second.failed().size() + " messages: "
                        + second.failed().get(0).message());
            }
        }
    }

    /** Long-polls the queue; each message comes with its receive count. */
    public List<Message> receive(int maxMessages, int waitSeconds, int visibilityTimeoutSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(Math.max(1, Math.min(BATCH, maxMessages)))
                .waitTimeSeconds(waitSeconds)
                .visibilityTimeout(visibilityTimeoutSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    public void delete(Message message) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }

    /** Makes a message visible again after {@code seconds} (0-43200), without counting as a success. */
    public void retryLater(Message message, long seconds) {
        int s = (int) Math.max(0, Math.min(43_200, seconds));
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                .visibilityTimeout(s));
    }

    /** ApproximateNumberOfMessages of the dead-letter queue. */
    public long deadLetterDepth() {
        String value = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * Moves up to {@code max} dead letters back to the queue: receive, send, then delete. A crash between send and
     * delete leaves a copy in both queues; the send ledger makes the duplicate harmless.
     */
    public int redrive(int max) {
        int moved = 0;
        while (moved < max) {
            int want = Math.min(BATCH, max - moved);
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl).maxNumberOfMessages(want)
                    .waitTimeSeconds(0).visibilityTimeout(30)).messages();
            if (batch.isEmpty()) {
                break;
            }
            sendBodies(queueUrl, batch.stream().map(Message::body).toList());
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(deadLetterQueueUrl).entries(deletes));
            moved += batch.size();
        }
        return moved;
    }

    public String encode(ReminderMessage message) {
        ObjectNode node = json.createObjectNode();
        node.put("type", message.type().name());
        if (message.type() == ReminderMessage.Type.REMINDER) {
            node.put("licenseId", message.licenseId());
            node.put("expiryDay", message.expiryDay().toString());
            node.put("thresholdDays", message.thresholdDays());
        } else {
            node.put("date", message.date().toString());
        }
        return node.toString();
    }

    public ReminderMessage decode(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedMessageException("not a JSON object", null);
            }
            ReminderMessage.Type type = ReminderMessage.Type.valueOf(node.path("type").asText());
            return new ReminderMessage(type, text(node, "licenseId"), day(node, "expiryDay"),
                    node.hasNonNull("thresholdDays") ? node.get("thresholdDays").asInt() : null, day(node, "date"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedMessageException m) {
                throw m;
            }
            throw new MalformedMessageException("not a reminder message: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static LocalDate day(JsonNode node, String field) {
        return node.hasNonNull(field) ? LocalDate.parse(node.get(field).asText()) : null;
    }

    /** Receive count of a received message (1 on first delivery). */
    public static int receiveCount(Message message) {
        Map<MessageSystemAttributeName, String> attributes = message.hasAttributes() ? message.attributes()
                : new HashMap<>();
        String count = attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 1 : Integer.parseInt(count);
    }
}
