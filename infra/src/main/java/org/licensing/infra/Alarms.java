package org.licensing.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Where operations hear about trouble: the alarm topic and the email-events topic (bounces and complaints), both
 * encrypted with one key and subscribed by {@code alarmEmail}, and the alarms, each with alarm and OK actions.
 */
final class Alarms extends Part {

    /** Alarm thresholds (see the runbook in infra/README.md). */
    static final int API_5XX_PER_5_MINUTES = 5;
    static final int VALIDATOR_P99_LATENCY_MS = 1000;
    static final int DATABASE_CPU_PERCENT = 80;
    static final int DATABASE_CAPACITY_PERCENT = 90;
    static final int TABLE_THROTTLES_PER_5_MINUTES = 10;
    static final int REMINDER_AGE_SECONDS = 3600;
    /** SES reviews an account at a 5 % bounce rate and 0.1 % complaint rate: alarm before that. */
    static final double SES_BOUNCE_RATE = 0.04;
    static final double SES_COMPLAINT_RATE = 0.0008;

    private final Key operationsKey;
    private final Topic alarmTopic;
    private final Topic emailEventsTopic;

    Alarms(Construct scope, String id, LicensingStackProps props) {
        super(scope, id);
        operationsKey = Key.Builder.create(this, "OperationsKey")
                .description("Encrypts the alarm and email-event SNS topics")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // CloudWatch (alarm actions) and SES (event destinations) publish to the encrypted topics. The topics'
        // policies decide who may publish; these statements only let the two services use the key for it.
        letServiceUseKey("CloudWatchAlarmActions", "cloudwatch.amazonaws.com", Map.of());
        letServiceUseKey("SesEventDestination", "ses.amazonaws.com",
                Map.of("StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount())));
        alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Licensing platform alarms")
                .masterKey(operationsKey)
                .enforceSsl(true)
                .build();
        alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail()));
        emailEventsTopic = Topic.Builder.create(this, "EmailEventsTopic")
                .displayName("Licensing reminder email bounces and complaints")
                .masterKey(operationsKey)
                .enforceSsl(true)
                .build();
        // (The SES event destination in Data adds the topic policy that lets SES publish for the configuration set.)
        emailEventsTopic.addSubscription(new EmailSubscription(props.alarmEmail()));
    }

    /** The alarms on what the other parts run. */
    void watch(Data data, Gateway gateway) {
        alarm("ReminderDlqNotEmpty", "Reminder messages in the dead-letter queue: inspect, fix, redrive "
                        + "(POST /v1/reminders/dead-letters/redrive)",
                data.reminderDlq().metricApproximateNumberOfMessagesVisible(fiveMinutes("Maximum")),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("ValidatorApi5xx", "The validator's HTTP API answers 5xx",
                gateway.validatorApi().metricServerError(fiveMinutes("Sum")),
                API_5XX_PER_5_MINUTES, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1);
        alarm("ValidatorLatencyP99", "p99 latency of the validator's HTTP API above " + VALIDATOR_P99_LATENCY_MS + " ms",
                gateway.validatorApi().metricLatency(fiveMinutes("p99")),
                VALIDATOR_P99_LATENCY_MS, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);
        alarm("CatalogDbCpu", "Aurora CPU above " + DATABASE_CPU_PERCENT + "%",
                data.database().metricCPUUtilization(fiveMinutes("Average")),
                DATABASE_CPU_PERCENT, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);

        // A service is down when its target group has no healthy pod for 3 minutes.
        Map<String, ApplicationTargetGroup> services = Map.of("Validator", gateway.validatorTargetGroup(),
                "Issuer", gateway.issuerTargetGroup(), "BackOffice", gateway.backOfficeTargetGroup());
        for (String service : List.of("Validator", "Issuer", "BackOffice")) {
            alarm(service + "Down", service + ": no healthy pod behind its load balancer",
                    services.get(service).getMetrics().healthyHostCount(MetricOptions.builder()
                            .period(Duration.minutes(1)).statistic("Minimum").build()),
                    1, ComparisonOperator.LESS_THAN_THRESHOLD, 3, TreatMissingData.BREACHING);
        }
        alarm("CatalogDbCapacity", "Aurora Serverless v2 above " + DATABASE_CAPACITY_PERCENT
                        + "% of its maximum capacity: raise serverlessV2MaxCapacity",
                data.database().metric("ACUUtilization", fiveMinutes("Average")),
                DATABASE_CAPACITY_PERCENT, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);
        alarm("LicenseTableReadThrottles", "DynamoDB throttles reads of the license table",
                data.table().metric("ReadThrottleEvents", fiveMinutes("Sum")),
                TABLE_THROTTLES_PER_5_MINUTES, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("LicenseTableWriteThrottles", "DynamoDB throttles writes of the license table",
                data.table().metric("WriteThrottleEvents", fiveMinutes("Sum")),
                TABLE_THROTTLES_PER_5_MINUTES, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("ReminderQueueAge", "A reminder has waited more than " + REMINDER_AGE_SECONDS / 60
                        + " minutes: is the notification service consuming?",
                data.reminderQueue().metricApproximateAgeOfOldestMessage(fiveMinutes("Maximum")),
                REMINDER_AGE_SECONDS, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        // The account's reputation (SES publishes it without dimensions): SES pauses sending above its limits.
        alarm("SesBounceRate", "SES bounce rate above " + SES_BOUNCE_RATE * 100 + "% (SES reviews the account at 5%)",
                Metric.Builder.create().namespace("AWS/SES").metricName("Reputation.BounceRate")
                        .period(Duration.minutes(5)).statistic("Maximum").build(),
                SES_BOUNCE_RATE, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("SesComplaintRate", "SES complaint rate above " + SES_COMPLAINT_RATE * 100
                        + "% (SES reviews the account at 0.1%)",
                Metric.Builder.create().namespace("AWS/SES").metricName("Reputation.ComplaintRate")
                        .period(Duration.minutes(5)).statistic("Maximum").build(),
                SES_COMPLAINT_RATE, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
    }

    /**
     * Lets the Prometheus workspace's alert manager publish to the alarm topic: the topic's policy admits
     * aps.amazonaws.com for that workspace only, the key lets it encrypt the message.
     */
    void allowPrometheusAlerts(String workspaceArn) {
        String account = Stack.of(this).getAccount();
        letServiceUseKey("PrometheusAlertManager", "aps.amazonaws.com",
                Map.of("StringEquals", Map.of("aws:SourceAccount", account)));
        alarmTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("PrometheusAlertManager")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("aps.amazonaws.com")))
                .actions(List.of("sns:Publish", "sns:GetTopicAttributes"))
                .resources(List.of(alarmTopic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account),
                        "ArnEquals", Map.of("aws:SourceArn", workspaceArn)))
                .build());
    }

    /** Lets an AWS service encrypt for the topics (publish to them); the topics' policies decide who may publish. */
    private void letServiceUseKey(String sid, String service, Map<String, Object> conditions) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal(service)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"));
        if (!conditions.isEmpty()) {
            statement.conditions(conditions);
        }
        operationsKey.addToResourcePolicy(statement.build());
    }

    Topic alarmTopic() {
        return alarmTopic;
    }

    Topic emailEventsTopic() {
        return emailEventsTopic;
    }

    static MetricOptions fiveMinutes(String statistic) {
        return MetricOptions.builder().period(Duration.minutes(5)).statistic(statistic).build();
    }

    private void alarm(String id, String description, IMetric metric, Number threshold, ComparisonOperator operator,
            int periods) {
        alarm(id, description, metric, threshold, operator, periods, TreatMissingData.NOT_BREACHING);
    }

    private void alarm(String id, String description, IMetric metric, Number threshold, ComparisonOperator operator,
            int periods, TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
    }
}
