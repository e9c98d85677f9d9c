package org.licensing.infra;

/** Names shared by the CDK app and the k8s manifests (namespace, service accounts, ports, probe paths). */
public final class Services {

    public static final String NAMESPACE = "licensing";
    public static final String ISSUER = "license-issuer";
    public static final String VALIDATOR = "license-validator";
    public static final String NOTIFICATION = "notification-service";
    /** The back office: web app for vendor staff; calls the issuer and notification-service, no AWS API. */
    public static final String BACK_OFFICE = "back-office";
    /** The four services, each a Deployment in {@link #NAMESPACE} scraped by the metrics collector. */
    public static final java.util.List<String> ALL = java.util.List.of(VALIDATOR, ISSUER, NOTIFICATION, BACK_OFFICE);
    /**
     * The back office's Cognito groups and the API roles each stands for (the contract of the local Keycloak realm:
     * the services map a group onto these roles; see infra/README.md, "Back-office sign-in").
     */
    public static final java.util.Map<String, java.util.List<String>> BACK_OFFICE_GROUPS = orderedGroups();
    /** Every service listens on this port in its container (HTTP, health and metrics included). */
    public static final int HTTP_PORT = 8080;
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
        groups.put("admin", java.util.List.of("licenses:read", "licenses:write", "catalog:admin", "reminders:read",
                "reminders:run"));
        groups.put("operator", java.util.List.of("licenses:read", "licenses:write", "reminders:read"));
        groups.put("finance", java.util.List.of("licenses:read", "reminders:read", "reminders:run"));
        groups.put("viewer", java.util.List.of("licenses:read", "reminders:read"));
        return java.util.Collections.unmodifiableMap(groups);
    }
}
