package org.licensing.issuer;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.architecture.ArchitectureRules;

import com.tngtech.archunit.core.domain.JavaClasses;

/** This service's code against the rules every service keeps (test-support's ArchitectureRules). */
class ArchitectureTest {

    static final String ROOT = "org.licensing.issuer";
    static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf(ROOT);

    @Test
    void featurePackagesFormNoCycle() {
        ArchitectureRules.featurePackagesFreeOfCycles(ROOT).check(CLASSES);
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.noOtherService(ROOT).check(CLASSES);
    }

    @Test
    void servicesBuildNoHttpResponses() {
        ArchitectureRules.servicesBuildNoHttpResponses(ROOT).check(CLASSES);
    }

    @Test
    void licenseRecordsAreBuiltByName() {
        ArchitectureRules.licenseRecordsBuiltByName(ROOT).check(CLASSES);
    }
}
