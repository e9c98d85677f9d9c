package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Parts leave no trace in the template: the same resources built inside parts or directly in the stack synthesize to
 * the same template (logical ids, security-group rule ids, VPC name tags, references), and without parts
 * {@link FlatNames} computes exactly CDK's own logical ids.
 */
class FlatNamesTest {

    private static final class Box extends Part {
        Box(Construct scope, String id) {
            super(scope, id);
        }
    }

    /** A few resources whose names CDK derives from their path, under {@code a} and {@code b}. */
    private static void build(Stack stack, Construct a, Construct b) {
        IVpc vpc = Vpc.Builder.create(a, "Vpc").maxAzs(1).natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder().name("isolated")
                        .subnetType(SubnetType.PRIVATE_ISOLATED).build()))
                .build();
        SecurityGroup one = new FlatSecurityGroup(a, "One", vpc, "one");
        SecurityGroup two = new FlatSecurityGroup(b, "Two", vpc, "two");
        one.getConnections().allowTo(two, Port.tcp(8080), "one to two");
        Queue queue = Queue.Builder.create(new Construct(b, "Nested"), "Queue").build();
        DatabaseSecret.Builder.create(b, "Secret").username("owner").build().getSecretArn();
        queue.getQueueArn();
    }

    @Test
    @SuppressWarnings("unchecked")
    void partsChangeNothingInTheTemplate() {
        App app = new App();
        Stack flat = new Stack(app, "Demo");
        build(flat, flat, flat);
        App app2 = new App();
        Stack parted = new Stack(app2, "Demo");
        Box outer = new Box(parted, "Outer");
        build(parted, outer, new Box(outer, "Inner"));
        parted.getNode().findAll().stream().filter(c -> c instanceof Vpc).forEach(vpc -> {
            FlatNames.keepNameTag(vpc);
            ((Vpc) vpc).getIsolatedSubnets().forEach(FlatNames::keepNameTag);
        });
        FlatNames.leaveOutParts(parted);

        Map<String, Object> expected = Template.fromStack(flat).toJSON();
        Map<String, Object> actual = Template.fromStack(parted).toJSON();
        assertEquals(((Map<String, Object>) expected.get("Resources")).keySet(),
                ((Map<String, Object>) actual.get("Resources")).keySet());
        assertEquals(expected, actual);
    }

    @Test
    void withoutPartsTheIdsAreCdksOwn() {
        App app = new App();
        Stack stack = new Stack(app, "Plain");
        build(stack, stack, new Construct(stack, "Group"));
        int checked = 0;
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof CfnElement element) {
                assertEquals(stack.resolve(element.getLogicalId()), FlatNames.logicalId(stack, element),
                        element.getNode().getPath());
                checked++;
            }
        }
        assertEquals(true, checked >= 10, "only " + checked + " elements");
    }
}
