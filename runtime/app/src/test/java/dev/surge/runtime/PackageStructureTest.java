package dev.surge.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form layers the next person can read one at a time: each feature package (ingress,
 * dispatch, local, kubernetes, resources, kafka, http) depends on others without cycles, settings and roles
 * (config) and meter names (metrics) are leaves they share, and the root package is the wiring (Main,
 * SurgeRuntime, readiness) that no feature package reaches back into.
 */
class PackageStructureTest {
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.surge.runtime");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.surge.runtime.(*)..").should().beFreeOfCycles().check(RUNTIME);
    }

    @Test
    void noFeaturePackageDependsOnTheWiring() {
        noClasses().that().resideInAPackage("dev.surge.runtime.*..")
                .should().dependOnClassesThat().resideInAPackage("dev.surge.runtime")
                .because("the root package wires the features together; shared settings live in config, meter names"
                        + " in metrics")
                .check(RUNTIME);
    }
}
