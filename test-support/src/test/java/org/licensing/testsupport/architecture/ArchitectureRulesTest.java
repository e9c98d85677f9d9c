package org.licensing.testsupport.architecture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

/** The rules can fail: each one against classes that break it on purpose (test fixtures, never main code). */
class ArchitectureRulesTest {

    private static final String ROOT = "org.licensing.issuer";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(ROOT + ".fixturea",
            ROOT + ".fixtureb");

    private static void fails(ArchRule rule, String expected) {
        AssertionError error = assertThrows(AssertionError.class, () -> rule.check(FIXTURES));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void aPackageCycleFails() {
        fails(ArchitectureRules.featurePackagesFreeOfCycles(ROOT), "Cycle detected: fixturea -> ");
    }

    @Test
    void usingAnotherServicesClassFails() {
        fails(ArchitectureRules.noOtherService(ROOT), "org.licensing.validator.fixture.ValidatorThing");
    }

    @Test
    void thePositionalLicenseRecordConstructorFails() {
        fails(ArchitectureRules.licenseRecordsBuiltByName(ROOT), "LicenseRecord.<init>");
    }
}
