package io.employeemgmt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * auth and audit depend only on platform (and audit's public API); platform depends on neither. The business
 * features may use platform.security and the audit API, never auth's internals.
 */
class SecurityModuleBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.employeemgmt");

    private static final String[] FEATURES = {
        "io.employeemgmt.employee..",
        "io.employeemgmt.department..",
        "io.employeemgmt.salary..",
        "io.employeemgmt.title..",
        "io.employeemgmt.analytics..",
        "io.employeemgmt.datagen.."
    };

    @Test
    void authAndAuditDoNotDependOnTheBusinessFeatures() {
        noClasses()
                .that()
                .resideInAnyPackage("io.employeemgmt.auth..", "io.employeemgmt.audit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FEATURES)
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void auditDoesNotDependOnAuth() {
        noClasses()
                .that()
                .resideInAPackage("io.employeemgmt.audit..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.employeemgmt.auth..")
                .check(CLASSES);
    }

    @Test
    void platformDependsOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("io.employeemgmt.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.employeemgmt.auth..", "io.employeemgmt.audit..")
                .check(CLASSES);
    }

    @Test
    void onlyAuthUsesItsOwnClasses() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.employeemgmt.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.employeemgmt.auth..")
                .check(CLASSES);
    }
}
