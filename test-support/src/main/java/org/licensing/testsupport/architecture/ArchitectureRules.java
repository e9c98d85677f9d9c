package org.licensing.testsupport.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules every service checks in its {@code ArchitectureTest} (ArchUnit), so a package cycle or a
 * reach into another service fails the build instead of waiting for a reviewer.
 */
public final class ArchitectureRules {

    /** The root package of each deployable and tool; none may use another's classes. */
    public static final List<String> SERVICE_ROOTS = List.of("org.licensing.issuer", "org.licensing.validator",
            "org.licensing.notification", "org.licensing.backoffice", "org.licensing.cli", "org.licensing.infra");

    private ArchitectureRules() {
    }

    /** The main (not test) classes of {@code root} and its subpackages. */
    public static JavaClasses mainClassesOf(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(root);
    }

    /** The feature packages right below {@code root} ({@code root.license}, {@code root.audit}...) form no cycle. */
    public static ArchRule featurePackagesFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles()
                .because("features depend on each other in one direction only (no package cycles)");
    }

    /** Classes of {@code root} use no class of another service or tool. */
    public static ArchRule noOtherService(String root) {
        String[] others = SERVICE_ROOTS.stream().filter(r -> !r.equals(root)).map(r -> r + "..")
                .toArray(String[]::new);
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("shared code lives in license-core, license-store or service-support, never in a service");
    }

    /** Domain services return domain values; JAX-RS responses are built in resources (HTTP stays at the edge). */
    public static ArchRule servicesBuildNoHttpResponses(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().haveSimpleNameEndingWith("Service")
                .should().dependOnClassesThat().haveFullyQualifiedName("jakarta.ws.rs.core.Response")
                .because("HTTP belongs in the resource")
                .allowEmptyShould(true);
    }

    /**
     * {@code LicenseRecord} (25 fields) is built by name through its builder, never by its positional constructor
     * outside the record itself.
     */
    public static ArchRule licenseRecordsBuiltByName(String root) {
        DescribedPredicate<JavaClass> licenseRecord = DescribedPredicate.describe("LicenseRecord",
                c -> c.getName().equals("org.licensing.store.LicenseRecord"));
        return noClasses().that().resideInAPackage(root + "..")
                .and().doNotHaveFullyQualifiedName("org.licensing.store.LicenseRecord")
                .and().doNotHaveFullyQualifiedName("org.licensing.store.LicenseRecord$Builder")
                .should().callConstructorWhere(target(owner(licenseRecord)))
                .because("LicenseRecord.builder() names each of its many fields");
    }
}
