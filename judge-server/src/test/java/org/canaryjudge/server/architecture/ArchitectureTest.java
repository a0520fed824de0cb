package org.canaryjudge.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies run one way: adapters (HTTP, command line) → the judging path, data sources,
 * readers → judge-core, which knows nothing of them; and no package cycles inside the server.
 */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.canaryjudge");

    @Test
    void judgeCoreKnowsNothingOfTheServerNorOfHttpJsonOrFiles() {
        noClasses().that().resideInAnyPackage("org.canaryjudge.model..", "org.canaryjudge.decision..",
                "org.canaryjudge.stats..", "org.canaryjudge.replay..", "org.canaryjudge.calibration..")
            .should().dependOnClassesThat().resideInAnyPackage("org.canaryjudge.server..", "com.fasterxml..", "io.javalin..",
                "org.eclipse.jetty..", "java.net..", "java.nio.file..", "java.sql..")
            .check(CLASSES);
    }

    @Test
    void onlyTheCommandLineUsesTheHttpServerAndNothingUsesTheCommandLine() {
        noClasses().that().resideInAPackage("org.canaryjudge.server..")
            .and().resideOutsideOfPackages("org.canaryjudge.server.http..", "org.canaryjudge.server.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.canaryjudge.server.http..")
            .check(CLASSES);
        noClasses().that().resideInAPackage("org.canaryjudge.server..")
            .and().resideOutsideOfPackage("org.canaryjudge.server.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.canaryjudge.server.cli..")
            .check(CLASSES);
    }

    @Test
    void theServersPackagesHaveNoCycles() {
        slices().matching("org.canaryjudge.server.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
