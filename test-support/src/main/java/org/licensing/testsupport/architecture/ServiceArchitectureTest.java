package org.licensing.testsupport.architecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * The architecture rules a service keeps, as JUnit tests: a service's {@code ArchitectureTest} extends this with its
 * root package. (Plain JUnit over ArchUnit's core: ArchUnit's own JUnit engines found no tests under surefire with
 * Quarkus' JUnit Platform 6.)
 */
public abstract class ServiceArchitectureTest {

    private final String root;
    private final JavaClasses classes;

    protected ServiceArchitectureTest(String root) {
        this.root = root;
        this.classes = ArchitectureRules.mainClassesOf(root);
    }

    @Test
    void featurePackagesFormNoCycle() {
        ArchitectureRules.featurePackagesFreeOfCycles(root).check(classes);
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.noOtherService(root).check(classes);
    }

    @Test
    void servicesBuildNoHttpResponses() {
        ArchitectureRules.servicesBuildNoHttpResponses(root).check(classes);
    }

    @Test
    void licenseRecordsAreBuiltByName() {
        ArchitectureRules.licenseRecordsBuiltByName(root).check(classes);
    }
}
