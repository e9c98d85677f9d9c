package org.licensing.validator.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.problem.ProblemType;
import org.licensing.validator.activation.ActivationAnswer;
import org.licensing.validator.activation.ActivationRequest;
import org.licensing.validator.validation.ValidateRequest;
import org.licensing.validator.validation.ValidationAnswer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The OpenAPI examples are JSON, read into the types they illustrate, and tell one consistent story. */
class ExamplesTest {

    static final ObjectMapper STRICT = new ObjectMapper().findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Map<String, String> jsonExamples() throws IllegalAccessException {
        Map<String, String> examples = new LinkedHashMap<>();
        for (Field f : Examples.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String value = (String) f.get(null);
                if (value.startsWith("{")) {
                    examples.put(f.getName(), value);
                }
            }
        }
        return examples;
    }

    @Test
    void everyJsonExampleParses() throws Exception {
        Map<String, String> examples = jsonExamples();
        assertTrue(examples.size() > 10, "found " + examples.keySet());
        for (Map.Entry<String, String> e : examples.entrySet()) {
            assertNotNull(STRICT.readTree(e.getValue()), e.getKey());
        }
    }

    @Test
    void bodiesReadIntoTheirTypes() throws Exception {
        ValidateRequest validate = STRICT.readValue(Examples.VALIDATE_REQUEST, ValidateRequest.class);
        assertEquals(Examples.KEY, validate.key());
        assertEquals(Examples.FINGERPRINT, validate.fingerprint());
        assertEquals(Examples.PRODUCT_CODE, validate.productCode());
        assertEquals(Examples.NONCE, validate.nonce());
        ActivationRequest activate = STRICT.readValue(Examples.ACTIVATION_REQUEST, ActivationRequest.class);
        assertEquals(Examples.KEY, activate.key());
        for (String answer : new String[] {Examples.VALID_ANSWER, Examples.NOT_FOUND_ANSWER}) {
            STRICT.readValue(answer, ValidationAnswer.class);
        }
        assertEquals(Examples.LICENSE_ID, STRICT.readValue(Examples.VALID_ANSWER, ValidationAnswer.class).licenseId());
        assertEquals(ValidationAnswer.NOT_FOUND_DETAIL,
                STRICT.readValue(Examples.NOT_FOUND_ANSWER, ValidationAnswer.class).detail());
        for (String answer : new String[] {Examples.ACTIVATION, Examples.HEARTBEAT}) {
            ActivationAnswer a = STRICT.readValue(answer, ActivationAnswer.class);
            assertEquals(Examples.LICENSE_ID, a.licenseId());
            assertEquals(Examples.FINGERPRINT, a.fingerprint());
        }
        STRICT.readTree(Examples.USAGE).fields().forEachRemaining(e -> assertTrue(e.getValue().canConvertToLong()));
    }

    @Test
    void theExampleKeyOpensTheExampleLicenseId() {
        assertEquals(Examples.LICENSE_ID, LicenseKey.parse(Examples.KEY).licenseId().toString());
        assertEquals("License " + Examples.KEY, Examples.AUTHORIZATION);
    }

    @Test
    void problemExamplesUseTheSharedProblemTypes() throws Exception {
        for (Map.Entry<String, String> e : jsonExamples().entrySet()) {
            if (!e.getKey().endsWith("_PROBLEM")) {
                continue;
            }
            JsonNode problem = STRICT.readTree(e.getValue());
            URI type = URI.create(problem.path("type").asText());
            ProblemType known = Arrays.stream(ProblemType.values()).filter(t -> t.uri().equals(type)).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + ": unknown problem type " + type));
            assertEquals(known.title(), problem.path("title").asText(), e.getKey());
            assertEquals(known.status(), problem.path("status").asInt(), e.getKey());
        }
    }
}
