package org.licensing.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions written as the metadata cdk-nag reads ({@code cdk_nag.rules_to_suppress}), so the app needs no
 * cdk-nag dependency at run time while the test that runs cdk-nag sees every suppression and its reason.
 */
final class Nag {

    private Nag() {
    }

    /** Suppresses {@code ruleId} on every CloudFormation resource at or below {@code scope}, with a written reason. */
    static void suppress(IConstruct scope, String ruleId, String reason) {
        if (reason == null || reason.length() < 10) {
            throw new IllegalArgumentException("a suppression needs a real reason: " + ruleId);
        }
        for (IConstruct c : scope.getNode().findAll()) {
            if (c instanceof CfnResource resource) {
                add(resource, ruleId, reason);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(CfnResource resource, String ruleId, String reason) {
        Object existing = resource.getMetadata("cdk_nag");
        List<Object> rules = new ArrayList<>();
        if (existing instanceof Map<?, ?> map && map.get("rules_to_suppress") instanceof List<?> list) {
            rules.addAll((List<Object>) list);
        }
        rules.add(Map.of("id", ruleId, "reason", reason));
        resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", rules));
    }
}
