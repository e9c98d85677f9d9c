package org.licensing.infra;

/** Names shared by the CDK app and the k8s manifests (namespace, service accounts, ports, probe paths). */
public final class Services {

    public static final String NAMESPACE = "licensing";
    public static final String ISSUER = "license-issuer";
    public static final String VALIDATOR = "license-validator";
    public static final String NOTIFICATION = "notification-service";
    /** The back office: web app for vendor staff; calls the issuer and notification-service, no AWS API. */
    public static final String BACK_OFFICE = "back-office";
    /** The four services, each a Deployment in {@link #NAMESPACE} behind a Service. */
    public static final java.util.List<String> ALL = java.util.List.of(VALIDATOR, ISSUER, NOTIFICATION, BACK_OFFICE);
    /**
     * The issuer's webhook deliveries, in a Deployment of their own (the issuer's image, delivery on; the serving issuer
     * has it off): the one pod allowed out to the internet on 443. No Service: nothing calls it.
     */
    public static final String WEBHOOK_DELIVERER = "webhook-deliverer";
    /** Every Deployment of {@link #NAMESPACE}: the services and the deliverer, each scraped by the metrics collector. */
    public static final java.util.List<String> SCRAPED = java.util.List.of(VALIDATOR, ISSUER, NOTIFICATION, BACK_OFFICE,
            WEBHOOK_DELIVERER);
    /**
     * The back office's Cognito groups and the API roles each stands for (the contract of the local Keycloak realm:
     * the services map a group onto these roles; see infra/README.md, "Back-office sign-in").
     */
    public static final java.util.Map<String, java.util.List<String>> BACK_OFFICE_GROUPS = orderedGroups();
    /** Every service serves its API on this port in its container; in prod only the load balancers reach it. */
    public static final int HTTP_PORT = 8080;
    /**
     * Quarkus' management interface in prod (health and metrics, {@code quarkus.management.enabled}, built into the
     * prod images by k8s/release.sh): what the kubelet probes, the ALB health checks and the metrics collector reach.
     */
    public static final int MANAGEMENT_PORT = 9000;
    /** The back office's quarkus-oidc post-logout path: its logout URLs registered in Cognito end in it. */
    public static final String BACK_OFFICE_POST_LOGOUT_PATH = "/signed-out";
    public static final int POSTGRES_PORT = 5432;
    public static final String READINESS_PATH = "/q/health/ready";
    /** The AWS Load Balancer Controller, installed only to reconcile TargetGroupBindings. */
    public static final String LB_CONTROLLER_NAMESPACE = "kube-system";
    public static final String LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
    /** The Cluster Autoscaler (manifests in k8s/cluster-autoscaler), bound to its role by Pod Identity. */
    public static final String CLUSTER_AUTOSCALER_NAMESPACE = "kube-system";
    public static final String CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";
    /** Service account of the amazon-cloudwatch-observability add-on (CloudWatch agent and Fluent Bit). */
    public static final String CLOUDWATCH_AGENT_SERVICE_ACCOUNT = "cloudwatch-agent";
    /** Service account of the vpc-cni add-on's DaemonSet (aws-node, kube-system), bound to the CNI's own role. */
    public static final String VPC_CNI_SERVICE_ACCOUNT = "aws-node";
    /** ECR repository of each service: licensing/&lt;service&gt;. */
    public static final String IMAGE_REPOSITORY_PREFIX = "licensing/";
    /** Database roles: the owner (Aurora master user, runs Flyway) and the application role (DML only). */
    public static final String DB_NAME = "licensing";
    public static final String DB_OWNER = "licensing_admin";
    public static final String DB_APP_USER = "licensing_app";

    private Services() {
    }

    private static java.util.Map<String, java.util.List<String>> orderedGroups() {
        java.util.Map<String, java.util.List<String>> groups = new java.util.LinkedHashMap<>();
        groups.put("admin", java.util.List.of("licenses:read", "licenses:write", "catalog:admin", "webhooks:admin",
                "reminders:read", "reminders:run"));
        groups.put("operator", java.util.List.of("licenses:read", "licenses:write", "reminders:read"));
        groups.put("finance", java.util.List.of("licenses:read", "reminders:read", "reminders:run"));
        groups.put("viewer", java.util.List.of("licenses:read", "reminders:read"));
        return java.util.Collections.unmodifiableMap(groups);
    }
}
