package org.licensing.infra;

import java.util.List;
import java.util.Objects;

import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Typed settings of {@link LicensingStack}. {@link #stackProps()} carries the usual CDK stack settings; the rest is
 * what an operator chooses per installation. Every value is validated here, so a bad value fails at synth.
 *
 * @param stackProps          description, tags, synthesizer; leave env unset for an environment-agnostic template
 * @param vpcCidr             VPC range (a /16 leaves room for pod IPs in the private subnets)
 * @param natGateways         NAT gateways (1 per AZ for HA, 1 to save cost)
 * @param kubernetesVersion   EKS control-plane version, e.g. "1.33"
 * @param nodeInstanceType    a Nitro type that supports security groups for pods (no t* types)
 * @param nodeMinSize         managed node group minimum (and desired) size
 * @param nodeMaxSize         managed node group maximum size
 * @param clusterApiCidrs     CIDRs allowed to reach the public Kubernetes API endpoint; empty = private endpoint only
 * @param clusterAdminRoleArn IAM role granted cluster-admin through an EKS access entry (null = none)
 * @param portalClientCidr    who may reach the internal portal/back-office load balancer (never 0.0.0.0/0)
 * @param senderDomain        SES domain identity the reminders are sent from
 * @param senderAddress       From address of reminder emails; must be in {@code senderDomain}
 * @param apiRateLimit        API Gateway steady-state requests per second in front of the validator
 * @param apiBurstLimit       API Gateway burst
 * @param logRetention        retention of API access logs and VPC flow logs
 */
public record LicensingStackProps(
        StackProps stackProps,
        String vpcCidr,
        int natGateways,
        String kubernetesVersion,
        String nodeInstanceType,
        int nodeMinSize,
        int nodeMaxSize,
        List<String> clusterApiCidrs,
        String clusterAdminRoleArn,
        String portalClientCidr,
        String senderDomain,
        String senderAddress,
        int apiRateLimit,
        int apiBurstLimit,
        RetentionDays logRetention) {

    public LicensingStackProps {
        Objects.requireNonNull(stackProps, "stackProps");
        Objects.requireNonNull(logRetention, "logRetention");
        requireCidr(vpcCidr, "vpcCidr");
        requireCidr(portalClientCidr, "portalClientCidr");
        clusterApiCidrs = List.copyOf(clusterApiCidrs);
        clusterApiCidrs.forEach(c -> requireCidr(c, "clusterApiCidrs"));
        if (natGateways < 1) {
            throw new IllegalArgumentException("natGateways must be at least 1");
        }
        if (nodeMinSize < 1 || nodeMaxSize < nodeMinSize) {
            throw new IllegalArgumentException("need 1 <= nodeMinSize <= nodeMaxSize");
        }
        if (nodeInstanceType.startsWith("t")) {
            throw new IllegalArgumentException("security groups for pods need a Nitro type with trunk ENIs, not " + nodeInstanceType);
        }
        if (senderAddress == null || !senderAddress.endsWith("@" + senderDomain)) {
            throw new IllegalArgumentException("senderAddress must be an address in senderDomain " + senderDomain);
        }
        if (apiRateLimit < 1 || apiBurstLimit < apiRateLimit) {
            throw new IllegalArgumentException("need 1 <= apiRateLimit <= apiBurstLimit");
        }
    }

    /** Defaults for one production-like installation; override what differs. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireCidr(String cidr, String name) {
        if (cidr == null || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException(name + " is not an IPv4 CIDR: " + cidr);
        }
        if (cidr.endsWith("/0")) {
            throw new IllegalArgumentException(name + " must not open to the whole internet: " + cidr);
        }
    }

    public static final class Builder {
        private StackProps stackProps = StackProps.builder()
                .description("Licensing platform: VPC, EKS, DynamoDB, SQS, SES, Aurora PostgreSQL, API Gateway")
                .build();
        private String vpcCidr = "10.40.0.0/16";
        private int natGateways = 2;
        private String kubernetesVersion = "1.33";
        private String nodeInstanceType = "m6i.large";
        private int nodeMinSize = 2;
        private int nodeMaxSize = 6;
        private List<String> clusterApiCidrs = List.of();
        private String clusterAdminRoleArn;
        private String portalClientCidr = "10.40.0.0/16";
        private String senderDomain = "licensing.example.com";
        private String senderAddress = "renewals@licensing.example.com";
        private int apiRateLimit = 200;
        private int apiBurstLimit = 400;
        private RetentionDays logRetention = RetentionDays.ONE_YEAR;

        public Builder stackProps(StackProps v) { stackProps = v; return this; }
        public Builder vpcCidr(String v) { vpcCidr = v; return this; }
        public Builder natGateways(int v) { natGateways = v; return this; }
        public Builder kubernetesVersion(String v) { kubernetesVersion = v; return this; }
        public Builder nodeInstanceType(String v) { nodeInstanceType = v; return this; }
        public Builder nodeMinSize(int v) { nodeMinSize = v; return this; }
        public Builder nodeMaxSize(int v) { nodeMaxSize = v; return this; }
        public Builder clusterApiCidrs(List<String> v) { clusterApiCidrs = v; return this; }
        public Builder clusterAdminRoleArn(String v) { clusterAdminRoleArn = v; return this; }
        public Builder portalClientCidr(String v) { portalClientCidr = v; return this; }
        public Builder senderDomain(String v) { senderDomain = v; return this; }
        public Builder senderAddress(String v) { senderAddress = v; return this; }
        public Builder apiRateLimit(int v) { apiRateLimit = v; return this; }
        public Builder apiBurstLimit(int v) { apiBurstLimit = v; return this; }
        public Builder logRetention(RetentionDays v) { logRetention = v; return this; }

        public LicensingStackProps build() {
            return new LicensingStackProps(stackProps, vpcCidr, natGateways, kubernetesVersion, nodeInstanceType,
                    nodeMinSize, nodeMaxSize, clusterApiCidrs, clusterAdminRoleArn, portalClientCidr, senderDomain,
                    senderAddress, apiRateLimit, apiBurstLimit, logRetention);
        }
    }
}
