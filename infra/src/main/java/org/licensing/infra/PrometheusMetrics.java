package org.licensing.infra;

import static org.licensing.infra.Services.MANAGEMENT_PORT;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.aps.CfnRuleGroupsNamespace;
import software.amazon.awscdk.services.aps.CfnScraper;
import software.amazon.awscdk.services.aps.CfnWorkspace;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.eks.CfnAccessEntry;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.constructs.Construct;

/**
 * The services' Prometheus metrics ({@code /q/metrics} on the pods' management port, which no load balancer forwards
 * to) scraped inside the VPC by an AWS managed collector into an Amazon Managed Service for Prometheus workspace. The
 * collector's network interfaces sit in the private subnets in their own security group, which the pod groups admit
 * on the management port; it
 * finds the pods through the Kubernetes API as the user {@code aps-collector-user} (access entry here, read-only
 * ClusterRole in the prod overlay).
 */
final class PrometheusMetrics extends Part {

    /** The Kubernetes user the collector's role maps to (the name AWS documents for managed collectors). */
    static final String COLLECTOR_USER = "aps-collector-user";
    /** Pods of the namespace that carry prometheus.io/scrape=true, at their prometheus.io/port and path. */
    static final String SCRAPE_CONFIGURATION = """
            global:
              scrape_interval: 30s
            scrape_configs:
              - job_name: licensing-services
                kubernetes_sd_configs:
                  - role: pod
                    namespaces:
                      names: [%s]
                relabel_configs:
                  - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                    action: keep
                    regex: "true"
                  - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
                    action: replace
                    target_label: __metrics_path__
                    regex: (.+)
                  - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
                    action: replace
                    regex: ([^:]+)(?::\\d+)?;(\\d+)
                    replacement: $1:$2
                    target_label: __address__
                  - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
                    target_label: service
                  - source_labels: [__meta_kubernetes_pod_name]
                    target_label: pod
            """.formatted(Services.NAMESPACE);

    /**
     * The deliverer's dead-lettered attempts (the issuer's DeliveryWorker counts each attempt by outcome). Micrometer
     * creates the series at its first increment, so increase() alone would miss a pod's first dead letter (a series
     * whose first sample is already 1): WebhookDeadLetters also fires for a series that did not exist an hour ago.
     */
    static final String WEBHOOK_DEAD = "licensing_webhooks_deliveries_total{job=\"licensing-services\",outcome=\"dead\"}";

    /**
     * Age of the oldest event waiting in a license item's outbox (the issuer imports every 30 s) that alerts: the
     * feed and webhooks are then that far behind the validator and the notification service.
     */
    static final int EVENT_IMPORT_LAG_SECONDS = 900;

    /** Share of a service's requests answered 5xx over 5 minutes that alerts. */
    static final double SERVER_ERROR_RATIO = 0.05;
    /** p99 of /v1/validate over 5 minutes, seconds (one of the validator's histogram buckets, so exact). */
    static final double VALIDATION_P99_SECONDS = 1.0;

    /**
     * The alert rules on the scraped series (the workspace's rule groups namespace). Each names the failure, the
     * service ({@code service} label of the scrape configuration) and what to do; the workspace's alert manager sends
     * firing and resolved alerts to the alarm topic. Reminder queue age stays a CloudWatch alarm: SQS publishes it to
     * CloudWatch, no service exports it.
     */
    static final String ALERT_RULES = """
            groups:
              - name: licensing-services
                rules:
                  - alert: ServiceDown
                    expr: up{job="licensing-services"} == 0
                    for: 3m
                    labels: {severity: critical}
                    annotations:
                      summary: "{{ $labels.service }} pod {{ $labels.pod }} does not answer its metrics scrape"
                  - alert: ServiceAbsent
                    expr: %s
                    for: 3m
                    labels: {severity: critical}
                    annotations:
                      summary: "{{ $labels.service }}: no pod is scraped (none running, or none reachable)"
                  - alert: ServerErrorRate
                    expr: >-
                      sum by (service) (rate(http_server_requests_seconds_count{job="licensing-services",status=~"5.."}[5m]))
                      / sum by (service) (rate(http_server_requests_seconds_count{job="licensing-services"}[5m])) > %s
                    for: 5m
                    labels: {severity: warning}
                    annotations:
                      summary: "{{ $labels.service }}: more than %s%% of requests answered 5xx for 5 minutes"
                  - alert: ValidationLatencyP99
                    expr: >-
                      histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{job="licensing-services",service="license-validator",uri="/v1/validate"}[5m]))) > %s
                    for: 15m
                    labels: {severity: warning}
                    annotations:
                      summary: "license-validator: p99 of /v1/validate above %s s for 15 minutes"
                  - alert: ReminderDeadLetters
                    expr: max(reminders_dead_letters{job="licensing-services"}) > 0
                    for: 5m
                    labels: {severity: warning}
                    annotations:
                      summary: "reminder messages in the dead-letter queue: inspect, fix, redrive (infra/README.md)"
                  - alert: WebhookDeadLetters
                    expr: >-
                      sum(increase(%s[1h])) > 0
                      or sum(%s unless %s offset 1h) > 0
                    for: 1m
                    labels: {severity: warning, service: webhook-deliverer}
                    annotations:
                      summary: "webhook deliveries dead-lettered in the last hour: GET /v1/webhook-endpoints/<id>/deliveries?state=DEAD, fix, replay (infra/README.md)"
                  - alert: EventImportLag
                    expr: max(licensing_events_import_lag_seconds{job="licensing-services",service="license-issuer"}) > %d
                    for: 15m
                    labels: {severity: warning, service: license-issuer}
                    annotations:
                      summary: "the validator's and notification service's events wait longer than %d s for the issuer's import (its log, DynamoDB throttling; each license keeps at most 100)"
            """.formatted(absentPerService(), SERVER_ERROR_RATIO, (int) Math.round(SERVER_ERROR_RATIO * 100),
            VALIDATION_P99_SECONDS, VALIDATION_P99_SECONDS, WEBHOOK_DEAD, WEBHOOK_DEAD, WEBHOOK_DEAD,
            EVENT_IMPORT_LAG_SECONDS, EVENT_IMPORT_LAG_SECONDS);

    /** One alert manager route: every alert to the alarm topic (SNS), grouped per alert and service. */
    static final String ALERT_MANAGER = """
            alertmanager_config: |
              route:
                receiver: alarm-topic
                group_by: [alertname, service]
                repeat_interval: 4h
              receivers:
                - name: alarm-topic
                  sns_configs:
                    - topic_arn: ${AlarmTopicArn}
                      sigv4:
                        region: ${AWS::Region}
                      subject: "Licensing platform: {{ .CommonLabels.alertname }}"
            """;

    private final CfnWorkspace workspace;

    PrometheusMetrics(Construct scope, String id, IVpc vpc, List<String> privateSubnetIds, CfnCluster cluster,
            ISecurityGroup clusterSg, List<SecurityGroup> podGroups, Alarms alarms) {
        super(scope, id);
        workspace = CfnWorkspace.Builder.create(this, "MetricsWorkspace").alias("licensing")
                .alertManagerDefinition(Fn.sub(ALERT_MANAGER,
                        Map.of("AlarmTopicArn", alarms.alarmTopic().getTopicArn())))
                .build();
        CfnRuleGroupsNamespace.Builder.create(this, "AlertRules")
                .workspace(workspace.getAttrArn())
                .name("licensing-alerts")
                .data(ALERT_RULES)
                .build();
        alarms.allowPrometheusAlerts(workspace.getAttrArn());
        SecurityGroup collectorSg = new FlatSecurityGroup(this, "MetricsCollectorSg", vpc,
                "Prometheus managed collector: scrapes the service pods, discovers them at the Kubernetes API");
        for (SecurityGroup pods : podGroups) {
            collectorSg.getConnections().allowTo(pods, Port.tcp(MANAGEMENT_PORT), "Prometheus scrape of /q/metrics");
        }
        collectorSg.getConnections().allowTo(clusterSg, Port.tcp(443), "Kubernetes API (pod discovery)");
        CfnScraper scraper = CfnScraper.Builder.create(this, "MetricsCollector")
                .alias("licensing")
                .source(CfnScraper.SourceProperty.builder()
                        .eksConfiguration(CfnScraper.EksConfigurationProperty.builder()
                                .clusterArn(cluster.getAttrArn())
                                .subnetIds(privateSubnetIds)
                                .securityGroupIds(List.of(collectorSg.getSecurityGroupId()))
                                .build())
                        .build())
                .destination(CfnScraper.DestinationProperty.builder()
                        .ampConfiguration(CfnScraper.AmpConfigurationProperty.builder()
                                .workspaceArn(workspace.getAttrArn())
                                .build())
                        .build())
                .scrapeConfiguration(CfnScraper.ScrapeConfigurationProperty.builder()
                        .configurationBlob(Fn.base64(SCRAPE_CONFIGURATION))
                        .build())
                .build();
        // The cluster admits the collector's role (access entries only, no aws-auth ConfigMap) as its documented user.
        CfnAccessEntry.Builder.create(this, "MetricsCollectorAccess")
                .clusterName(cluster.getRef())
                .principalArn(scraper.getAttrRoleArn())
                .username(COLLECTOR_USER)
                .type("STANDARD")
                .build();
    }

    /**
     * {@code absent(...)} per service: no {@code up} series at all (no pod left to scrape) is down too. absent() takes
     * the {@code service} label from the selector's equality matcher, so the alert names the service.
     */
    private static String absentPerService() {
        return String.join(" or ", Services.SCRAPED.stream()
                .map(service -> "absent(up{job=\"licensing-services\",service=\"" + service + "\"})")
                .toList());
    }

    CfnWorkspace workspace() {
        return workspace;
    }
}
