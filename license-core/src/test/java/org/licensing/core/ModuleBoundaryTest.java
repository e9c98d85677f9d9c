package org.licensing.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * license-core is what installed products embed: its code uses the JDK, nimbus (JOSE) and BouncyCastle (signing)
 * only, whatever a future dependency would make available, and its packages form no cycle.
 */
class ModuleBoundaryTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.licensing.core");

    @Test
    void usesOnlyTheJdkNimbusAndBouncyCastle() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "com.nimbusds..",
                "org.bouncycastle..", "org.licensing.core..")
                .because("no AWS SDK, Quarkus or Jackson in the library products embed").check(CORE);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.licensing.core.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
