package org.licensing.infra;

/** Names shared by the CDK app and the k8s manifests (namespace, service accounts, ports, probe paths). */
public final class Services {

    public static final String NAMESPACE = "licensing";
    public static final String ISSUER = "license-issuer";
    public static final String VALIDATOR = "license-validator";
    public static final String NOTIFICATION = "notification-service";
    /** Every service listens on this port in its container (HTTP, health and metrics included). */
    public static final int HTTP_PORT = 8080;
    public static final int POSTGRES_PORT = 5432;
    public static final String READINESS_PATH = "/q/health/ready";
    /** The AWS Load Balancer Controller, installed only to reconcile TargetGroupBindings. */
    public static final String LB_CONTROLLER_NAMESPACE = "kube-system";
    public static final String LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

    private Services() {
    }
}
