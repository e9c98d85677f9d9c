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
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagReportFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.ec2.CfnSecurityGroup;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * Runs the AwsSolutions pack of cdk-nag over the stack: every finding is fixed or suppressed with a reason, and the
 * suppressions are exactly the ones infra/README.md documents. A canary stack with known violations proves that the
 * pack really runs in this build (an empty finding list alone would also pass if no rule were evaluated) and that the
 * suppression metadata {@link Nag} writes is the one cdk-nag reads.
 */
class CdkNagTest {

    /**
     * Every suppression of the real stack: rule, and the part and construct it sits on (README, "cdk-nag
     * suppressions").
     */
    private static final Set<String> DOCUMENTED_SUPPRESSIONS = Set.of(
            "AwsSolutions-IAM4 Eks/ClusterRole", "AwsSolutions-IAM4 Eks/NodeRole",
            "AwsSolutions-IAM4 Eks/CloudWatchAgentRole", "AwsSolutions-IAM4 Eks/VpcCniRole",
            "AwsSolutions-IAM5 ServiceRoles/LbControllerRole", "AwsSolutions-IAM5 ServiceRoles/ClusterAutoscalerRole",
            "AwsSolutions-RDS6 Data/CatalogDb", "AwsSolutions-SMG4 Data/CatalogDb",
            "AwsSolutions-SMG4 Data/DatabaseAppSecret",
            "AwsSolutions-S1 Gateway/LoadBalancerLogs", "AwsSolutions-ELB2 Gateway/ValidatorNlb", "AwsSolutions-APIG4 Gateway/ValidatorApi",
            "AwsSolutions-COG4 Gateway/ValidatorApi", "AwsSolutions-IAM4 Gateway/ValidatorApi");

    private static LicensingStack stack;
    private static Template template;
    private static List<JsonNode> report;
    private static Stack canary;
    private static List<JsonNode> canaryReport;

    @BeforeAll
    static void synthesizeWithNag() throws IOException {
        Path out = Path.of(System.getProperty("cdk.outdir", "target/cdk.out"), "nag");
        App app = new App(AppProps.builder().context(TestApps.requiredContext())
                .outdir(out.resolve("platform").toString()).build());
        Aspects.of(app).add(checks());
        stack = LicensingApp.createStack(app);
        template = Template.fromStack(stack);
        report = report(out.resolve("platform"), LicensingApp.STACK_NAME);

        App canaryApp = new App(AppProps.builder().outdir(out.resolve("canary").toString()).build());
        Aspects.of(canaryApp).add(checks());
        canary = new Stack(canaryApp, "NagCanary");
        // SSH from the whole internet (AwsSolutions-EC23) and a bucket without TLS-only policy or access logs
        // (AwsSolutions-S10, -S1): findings the pack must report.
        CfnSecurityGroup.Builder.create(canary, "OpenSsh")
                .groupDescription("canary: ssh from anywhere")
                .vpcId("vpc-0123456789abcdef0")
                .securityGroupIngress(List.of(CfnSecurityGroup.IngressProperty.builder()
                        .ipProtocol("tcp").fromPort(22).toPort(22).cidrIp("0.0.0.0/0").build()))
                .build();
        new Bucket(canary, "PlainBucket");
        // The same bucket once more, with S1 suppressed the way the real stack suppresses: reported as suppressed.
        Nag.suppress(new Bucket(canary, "SuppressedBucket"), "AwsSolutions-S1", "canary: access logs suppressed here");
        Template.fromStack(canary);
        canaryReport = report(out.resolve("canary"), "NagCanary");
    }

    private static AwsSolutionsChecks checks() {
        return new AwsSolutionsChecks(NagPackProps.builder().verbose(true)
                .reportFormats(List.of(NagReportFormat.CSV)).build());
    }

    /**
     * The pack's own compliance report of one stack: one line per rule and resource it evaluated. (CSV: cdk-nag appends
     * each line, where its JSON report rewrites the whole file per line, which took half a minute here.)
     */
    private static List<JsonNode> report(Path outdir, String stackName) throws IOException {
        Path file = outdir.resolve("AwsSolutions-" + stackName + "-NagReport.csv");
        assertTrue(Files.isRegularFile(file), file + ": cdk-nag wrote no report, so it did not run");
        List<String> rows = Files.readAllLines(file);
        assertEquals("Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info", rows.get(0));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            List<String> cells = csv(row);
            lines.add(json.valueToTree(Map.of("ruleId", cells.get(0), "resourceId", cells.get(1),
                    "compliance", cells.get(2), "exceptionReason", cells.get(3))));
        }
        return lines;
    }

    /** One line of cdk-nag's CSV: every cell quoted, quotes doubled. */
    private static List<String> csv(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted && c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void theCanaryStacksViolationsAreFound() {
        List<SynthesisMessage> errors = Annotations.fromStack(canary)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        Set<String> found = errors.stream()
                .map(m -> rule(m) + " " + m.getId())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(found.contains("AwsSolutions-EC23 /NagCanary/OpenSsh"), found::toString);
        assertTrue(found.contains("AwsSolutions-S10 /NagCanary/PlainBucket/Resource"), found::toString);
        assertTrue(found.contains("AwsSolutions-S1 /NagCanary/PlainBucket/Resource"), found::toString);
        assertTrue(compliance(canaryReport, "AwsSolutions-EC23", "NagCanary/OpenSsh").equals("Non-Compliant"));
        // the suppression written by Nag: not reported as an error, listed as suppressed with its reason
        assertTrue(!found.contains("AwsSolutions-S1 /NagCanary/SuppressedBucket/Resource"), found::toString);
        assertTrue(found.contains("AwsSolutions-S10 /NagCanary/SuppressedBucket/Resource"), found::toString);
        JsonNode suppressed = line(canaryReport, "AwsSolutions-S1", "NagCanary/SuppressedBucket/Resource");
        assertEquals("Suppressed", suppressed.path("compliance").asText());
        assertEquals("canary: access logs suppressed here", suppressed.path("exceptionReason").asText());
    }

    @Test
    void noUnsuppressedFindings() {
        List<SynthesisMessage> errors = Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = Annotations.fromStack(stack)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertTrue(errors.isEmpty() && warnings.isEmpty(), () -> "cdk-nag findings:\n" + describe(errors) + describe(warnings));
        List<String> nonCompliant = report.stream()
                .filter(l -> !Set.of("Compliant", "Suppressed").contains(l.path("compliance").asText()))
                .map(l -> l.path("ruleId").asText() + " " + l.path("resourceId").asText() + " "
                        + l.path("compliance").asText())
                .toList();
        assertEquals(List.of(), nonCompliant);
    }

    @Test
    void thePackEvaluatedTheRealStacksResources() {
        // rules that apply to this stack's resources were evaluated and passed, not skipped
        assertEquals("Compliant", compliance(report, "AwsSolutions-EC23", "LicensingPlatform/SecurityGroups/PortalAlbSg/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-SQS4", "LicensingPlatform/Data/ReminderQueue/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-DDB3", "LicensingPlatform/Data/LicenseTable/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-COG2", "LicensingPlatform/SignIn/BackOfficeUsers/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-COG1", "LicensingPlatform/SignIn/BackOfficeUsers/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-COG3", "LicensingPlatform/SignIn/BackOfficeUsers/Resource"));
        // the validator's stage has a WAF web ACL (per-client rate limit) and execution logging
        assertEquals("Compliant", compliance(report, "AwsSolutions-APIG3",
                "LicensingPlatform/Gateway/ValidatorApi/DeploymentStage.live/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-APIG6",
                "LicensingPlatform/Gateway/ValidatorApi/DeploymentStage.live/Resource"));
        assertEquals("Compliant", compliance(report, "AwsSolutions-APIG2",
                "LicensingPlatform/Gateway/ValidatorApi/Resource"));
        Set<String> resources = report.stream().map(l -> l.path("resourceId").asText()).collect(Collectors.toSet());
        assertTrue(resources.size() > 50, "cdk-nag looked at " + resources.size() + " resources only");
    }

    @Test
    void theSuppressionsAreExactlyTheDocumentedOnes() {
        Set<String> suppressed = new TreeSet<>();
        for (JsonNode l : report) {
            if (l.path("compliance").asText().equals("Suppressed")) {
                String path = l.path("resourceId").asText();
                assertTrue(path.startsWith(LicensingApp.STACK_NAME + "/"), path);
                String[] names = path.split("/");
                suppressed.add(l.path("ruleId").asText() + " " + names[1] + "/" + names[2]);
            }
        }
        assertEquals(new TreeSet<>(DOCUMENTED_SUPPRESSIONS), suppressed);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySuppressionHasAReason() {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<?, ?>)
                template.toJSON().get("Resources");
        int suppressions = 0;
        for (Map<String, Object> resource : resources.values()) {
            Map<String, Object> metadata = (Map<String, Object>) resource.get("Metadata");
            if (metadata == null || !(metadata.get("cdk_nag") instanceof Map<?, ?> nag)) {
                continue;
            }
            for (Object rule : (List<Object>) nag.get("rules_to_suppress")) {
                Map<String, Object> r = (Map<String, Object>) rule;
                assertTrue(r.get("id").toString().startsWith("AwsSolutions-"), r::toString);
                assertTrue(r.get("reason").toString().length() >= 10, r::toString);
                suppressions++;
            }
        }
        assertTrue(suppressions > 0);
    }

    private static String rule(SynthesisMessage m) {
        return String.valueOf(m.getEntry().getData()).replaceFirst("(?s)^(AwsSolutions-[A-Za-z0-9]+).*", "$1");
    }

    private static JsonNode line(List<JsonNode> lines, String ruleId, String resourceId) {
        return lines.stream()
                .filter(l -> l.path("ruleId").asText().equals(ruleId) && l.path("resourceId").asText().equals(resourceId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("cdk-nag did not evaluate " + ruleId + " on " + resourceId));
    }

    private static String compliance(List<JsonNode> lines, String ruleId, String resourceId) {
        return line(lines, ruleId, resourceId).path("compliance").asText();
    }

    private static String describe(List<SynthesisMessage> messages) {
        return messages.stream()
                .map(m -> m.getId() + ": " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse(""))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
