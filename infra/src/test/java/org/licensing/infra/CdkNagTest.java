package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** Runs the AwsSolutions pack of cdk-nag over the stack: every finding is fixed or suppressed with a reason. */
class CdkNagTest {

    private static LicensingStack stack;
    private static Template template;

    @BeforeAll
    static void synthesizeWithNag() {
        App app = TestApps.app();
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        stack = LicensingApp.createStack(app);
        template = Template.fromStack(stack);
    }

    @Test
    void noUnsuppressedFindings() {
        List<SynthesisMessage> errors = Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = Annotations.fromStack(stack)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertTrue(errors.isEmpty() && warnings.isEmpty(), () -> "cdk-nag findings:\n" + describe(errors) + describe(warnings));
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

    private static String describe(List<SynthesisMessage> messages) {
        return messages.stream()
                .map(m -> m.getId() + ": " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse(""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void nagRanOverTheStack() {
        assertEquals("LicensingPlatform", stack.getStackName());
    }
}
