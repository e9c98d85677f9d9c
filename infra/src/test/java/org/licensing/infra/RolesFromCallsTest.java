package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awscdk.assertions.Template;

/**
 * Least privilege from the code, not from a list: each service role grants exactly the AWS calls the service's own
 * code made in its tests (recorded by test-support's {@code AwsCallRecorder} into
 * {@code <service>/target/aws-calls.tsv}; the reactor builds the services before infra). Every recorded call must be
 * granted on its resource, and every granted action must have been called, except the few written down in
 * {@link #NOT_CALLED_BY_DESIGN} with their reason.
 */
class RolesFromCallsTest {

    /** Role logical-id prefix and module of each service. */
    private static final Map<String, String> MODULES = Map.of("Issuer", Services.ISSUER, "Validator",
            Services.VALIDATOR, "Notification", Services.NOTIFICATION);

    /** Grants no test can make the code call, each with why the role still needs it. */
    private static final Map<String, String> NOT_CALLED_BY_DESIGN = Map.of(
            "Notification ses:SendEmail configuration-set/*",
            "SES authorizes a send against the identity's default configuration set too; the call names only the"
                    + " identity",
            "Notification sqs:ChangeMessageVisibility queue/license-reminders",
            "the consumer's retry path (a BUSY or failed delivery becomes visible again after retry-delay) is"
                    + " exercised by FailureTest and ExactlyOnceTest, which drive the consumer on the test thread, so"
                    + " the recorder does not count it as the service's own call");

    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() {
        Template template = TestApps.template();
        resources = (Map<String, Map<String, Object>>) (Map<?, ?>) template.toJSON().get("Resources");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Issuer", "Validator", "Notification"})
    void theRoleGrantsExactlyWhatTheServiceCalls(String role) throws IOException {
        Set<String> called = called(MODULES.get(role));
        Set<String> granted = granted(role);
        Set<String> missing = new TreeSet<>(called);
        missing.removeAll(granted);
        assertEquals(Set.of(), missing, role + " calls these but its role does not grant them");
        Set<String> unused = new TreeSet<>();
        for (String grant : granted) {
            if (!called.contains(grant) && !NOT_CALLED_BY_DESIGN.containsKey(role + " " + grant)) {
                unused.add(grant);
            }
        }
        assertEquals(Set.of(), unused, role + "'s role grants these but no test saw the code call them: remove them,"
                + " or write the reason down in NOT_CALLED_BY_DESIGN");
    }

    /**
     * The webhook deliverer runs the issuer's code (its image) with everything but delivery switched off: its role may
     * grant only calls the issuer's tests saw that code make, and of those only what stays on there. Deliveries are
     * PostgreSQL only; the readiness check (BackendsReadiness) describes the table; the reconciler and the event
     * import, the issuer's other callers in the background, are off in the deliverer's manifest (checked here, so
     * turning one on fails).
     */
    @org.junit.jupiter.api.Test
    void theWebhookDelivererGrantsOnlyTheIssuerCallsItLeavesOn() throws IOException {
        Set<String> granted = granted("WebhookDeliverer");
        assertEquals(Set.of("dynamodb:DescribeTable table/licenses"), granted);
        Set<String> notCalled = new TreeSet<>(granted);
        notCalled.removeAll(called(MODULES.get("Issuer")));
        assertEquals(Set.of(), notCalled, "the deliverer's role grants calls the issuer's code never made");
        String manifest = Files.readString(Path.of("..", "k8s", "base", "webhook-deliverer.yaml"));
        for (String off : List.of("LICENSING_READ_MODEL_RECONCILE_EVERY", "LICENSING_EVENTS_PRUNE_EVERY",
                "LICENSING_EVENT_IMPORT_EVERY")) {
            assertTrue(java.util.regex.Pattern.compile("- name: " + off + "\\s+value: \"off\"").matcher(manifest).find(),
                    off + " must stay off in the webhook deliverer (its role has no DynamoDB reads or writes)");
        }
    }

    /** {@code action resource} lines of what the service called, e.g. {@code dynamodb:GetItem table/licenses}. */
    private static Set<String> called(String module) throws IOException {
        Path file = Path.of("..", module, "target", "aws-calls.tsv");
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is missing: the services' tests record their"
                + " AWS calls there; build them first (./mvnw verify does, in reactor order)");
        Set<String> calls = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split("\t");
            if (parts.length == 3) {
                calls.add(action(parts[0], parts[1]) + " " + parts[2].replaceFirst("^identity/.*", "identity/*"));
            }
        }
        assertTrue(!calls.isEmpty(), file + " records no call");
        return calls;
    }

    /** The IAM action that authorizes an SDK operation (SQS batch calls are authorized by the single action). */
    private static String action(String sdkService, String operation) {
        String prefix = switch (sdkService) {
            case "DynamoDb" -> "dynamodb";
            case "Sqs" -> "sqs";
            case "SesV2" -> "ses";
            default -> throw new AssertionError("no IAM prefix known for the SDK service " + sdkService);
        };
        return prefix + ":" + (prefix.equals("sqs") ? operation.replaceFirst("Batch$", "") : operation);
    }

    /** {@code action resource} lines the role's inline policies allow. */
    @SuppressWarnings("unchecked")
    private static Set<String> granted(String rolePrefix) {
        Map<String, Object> role = resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith(rolePrefix + "Role") && "AWS::IAM::Role".equals(
                        e.getValue().get("Type")))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("no " + rolePrefix
                        + " role"));
        Set<String> grants = new TreeSet<>();
        Map<String, Object> props = (Map<String, Object>) role.get("Properties");
        for (Object policy : (List<Object>) props.getOrDefault("Policies", List.of())) {
            Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument");
            for (Object s : (List<Object>) doc.get("Statement")) {
                Map<String, Object> statement = (Map<String, Object>) s;
                assertEquals("Allow", statement.get("Effect"), "only Allow statements: " + statement);
                for (Object action : list(statement.get("Action"))) {
                    for (Object resource : list(statement.get("Resource"))) {
                        grants.add(action + " " + resourceKey(resource));
                    }
                }
            }
        }
        return grants;
    }

    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
    }

    /** A policy resource as the recorder names it: table/x, table/x/index/y, queue/x, identity/*. */
    @SuppressWarnings("unchecked")
    private static String resourceKey(Object resource) {
        if (resource instanceof Map<?, ?> m && m.containsKey("Fn::GetAtt")) {
            return nameOf((String) ((List<Object>) m.get("Fn::GetAtt")).get(0));
        }
        if (resource instanceof Map<?, ?> m && m.containsKey("Fn::Join")) {
            List<Object> parts = (List<Object>) ((List<Object>) m.get("Fn::Join")).get(1);
            StringBuilder key = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && p.containsKey("Fn::GetAtt")) {
                    key.append(nameOf((String) ((List<Object>) p.get("Fn::GetAtt")).get(0)));
                } else if (part instanceof String text && key.length() > 0) {
                    key.append(text);
                } else if (part instanceof String text && text.endsWith(":identity/")) {
                    return "identity/*";
                } else if (part instanceof String text && text.endsWith(":configuration-set/")) {
                    return "configuration-set/*";
                }
            }
            if (key.length() > 0) {
                return key.toString();
            }
        }
        return String.valueOf(resource);
    }

    @SuppressWarnings("unchecked")
    private static String nameOf(String logicalId) {
        Map<String, Object> r = resources.get(logicalId);
        Map<String, Object> props = (Map<String, Object>) r.get("Properties");
        return switch ((String) r.get("Type")) {
            case "AWS::DynamoDB::Table" -> "table/" + props.get("TableName");
            case "AWS::SQS::Queue" -> "queue/" + props.get("QueueName");
            default -> logicalId;
        };
    }
}
