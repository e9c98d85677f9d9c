package org.licensing.testsupport;

import java.util.Map;

import org.licensing.store.LicenseTable;
import org.licensing.store.ReminderQueues;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Creates the table and queues the way infra does, from the same definitions in license-core. */
public final class AwsResources {

    private AwsResources() {
    }

    /** Creates the licenses table with its indexes; a table that already exists is left as it is. */
    public static void createLicenseTable(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.createTable(LicenseTable.createTableRequest(tableName));
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    }

    /** Creates the queue and its dead-letter queue with the redrive policy; existing queues are reused. */
    public static QueueUrls createReminderQueues(SqsClient sqs, String queueName, String deadLetterQueueName) {
        String dlqUrl = sqs.createQueue(b -> b.queueName(deadLetterQueueName).attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                Integer.toString(ReminderQueues.DEAD_LETTER_RETENTION_SECONDS)))).queueUrl();
        String dlqArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN).build())
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                + ReminderQueues.MAX_RECEIVE_COUNT + "\"}";
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(ReminderQueues.VISIBILITY_TIMEOUT_SECONDS),
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        return new QueueUrls(queueUrl, dlqUrl, dlqArn);
    }
}
