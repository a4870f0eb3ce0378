package dev.surge.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The bytecode half of runtime/core's purity rule (the enforcer's bannedDependencies in its pom is the other
 * half): no class of dev.surge.core uses Quarkus, Vert.x, Kafka, fabric8 or Micrometer, even through a library
 * that is allowed on the class path but bundles or re-exports their types.
 */
class CorePurityTest {
    @Test
    void coreUsesNoRuntimePlatformOrClusterTypes() {
        JavaClasses core = new ClassFileImporter()
                // core's own classes are folders under target/; scanning every jar only costs time
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.surge.core");

        noClasses().that().resideInAPackage("dev.surge.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.vertx..", "org.apache.kafka..", "io.fabric8..", "io.micrometer..")
                .because("runtime/core is the plain-Java model shared by the runtime and the operator;"
                        + " code that needs these belongs in runtime/app or the operator, behind an interface here")
                .check(core);
    }
}
