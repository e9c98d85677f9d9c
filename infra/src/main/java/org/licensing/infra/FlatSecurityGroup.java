package org.licensing.infra;

import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.constructs.Construct;

/**
 * A security group with no default egress whose {@code uniqueId} leaves {@link Part}s out. CDK names a rule between
 * two groups after the peer's unique id ({@code IssuerSgtoLicensingPlatformDatabaseSg...}); with the part in it, every
 * such rule would get a new logical id, and EC2 refuses to create a rule that already exists before CloudFormation
 * deletes the old one.
 */
final class FlatSecurityGroup extends SecurityGroup {

    FlatSecurityGroup(Construct scope, String id, IVpc vpc, String description) {
        super(scope, id, SecurityGroupProps.builder()
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(false)
                .build());
    }

    @Override
    public String getUniqueId() {
        return FlatNames.uniqueId(this);
    }
}
