package org.licensing.infra;

import static org.licensing.infra.Services.HTTP_PORT;

import java.util.List;

import software.amazon.awscdk.Fn;
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
 * The services' Prometheus metrics ({@code /q/metrics}, which the load balancers refuse to outside callers) scraped
 * inside the VPC by an AWS managed collector into an Amazon Managed Service for Prometheus workspace. The collector's
 * network interfaces sit in the private subnets in their own security group, which the pod groups admit on 8080; it
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

    private final CfnWorkspace workspace;

    PrometheusMetrics(Construct scope, String id, IVpc vpc, List<String> privateSubnetIds, CfnCluster cluster,
            ISecurityGroup clusterSg, List<SecurityGroup> podGroups) {
        super(scope, id);
        workspace = CfnWorkspace.Builder.create(this, "MetricsWorkspace").alias("licensing").build();
        SecurityGroup collectorSg = new FlatSecurityGroup(this, "MetricsCollectorSg", vpc,
                "Prometheus managed collector: scrapes the service pods, discovers them at the Kubernetes API");
        for (SecurityGroup pods : podGroups) {
            collectorSg.getConnections().allowTo(pods, Port.tcp(HTTP_PORT), "Prometheus scrape of /q/metrics");
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

    CfnWorkspace workspace() {
        return workspace;
    }
}
