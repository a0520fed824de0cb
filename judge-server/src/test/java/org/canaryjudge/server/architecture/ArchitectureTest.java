package org.canaryjudge.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.net.URISyntaxException;
import java.util.Set;
import org.canaryjudge.calibration.Simulator;
import org.canaryjudge.decision.Judge;
import org.junit.jupiter.api.Test;

/**
 * Dependencies run one way: adapters (HTTP, command line) → the judging path, data sources,
 * readers → the simulator (judge-simulator) → judge-core, which knows nothing of them; and no
 * package cycles inside the server.
 */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.canaryjudge");

    /** The classes of the judge-core artifact alone (its jar or its classes folder), whatever their packages. */
    static final JavaClasses JUDGE_CORE = classesOfTheArtifactHolding(Judge.class);

    /** The classes of the judge-simulator artifact alone. */
    static final JavaClasses SIMULATOR = classesOfTheArtifactHolding(Simulator.class);

    @Test
    void judgeCoreAndTheSimulatorKnowNothingOfTheServerNorOfHttpJsonOrFiles() {
        noClasses().that().resideInAnyPackage("org.canaryjudge.model..", "org.canaryjudge.decision..",
                "org.canaryjudge.stats..", "org.canaryjudge.replay..", "org.canaryjudge.calibration..")
            .should().dependOnClassesThat().resideInAnyPackage("org.canaryjudge.server..", "com.fasterxml..", "io.javalin..",
                "org.eclipse.jetty..", "java.net..", "java.nio.file..", "java.sql..")
            .check(CLASSES);
    }

    /**
     * judge-core is the library a rollout tool embeds: it uses nothing beyond the JDK and Commons
     * Statistics, Numbers and RNG, and in particular not the simulator, which moved to judge-simulator
     * (package {@code org.canaryjudge.calibration}) and depends on judge-core, not the other way.
     */
    @Test
    void judgeCoreUsesOnlyTheJdkAndCommonsStatisticsAndNotTheSimulator() {
        assertFalse(JUDGE_CORE.isEmpty(), "judge-core's classes were found");
        noClasses().should().resideInAPackage("org.canaryjudge.calibration..")
            .because("the simulator is judge-simulator's, not the embeddable library's")
            .check(JUDGE_CORE);
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.apache.commons.statistics..",
                "org.apache.commons.numbers..", "org.apache.commons.rng..", "org.canaryjudge.model..",
                "org.canaryjudge.decision..", "org.canaryjudge.stats..", "org.canaryjudge.replay..")
            .check(JUDGE_CORE);
    }

    /** The simulator is one package on judge-core's public API, with Commons Statistics for its random draws. */
    @Test
    void theSimulatorIsOnePackageOnJudgeCoreAndCommons() {
        assertFalse(SIMULATOR.isEmpty(), "judge-simulator's classes were found");
        classes().should().resideInAPackage("org.canaryjudge.calibration").check(SIMULATOR);
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.apache.commons.statistics..",
                "org.apache.commons.rng..", "org.canaryjudge.model..", "org.canaryjudge.decision..",
                "org.canaryjudge.stats..", "org.canaryjudge.calibration..")
            .check(SIMULATOR);
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

    private static JavaClasses classesOfTheArtifactHolding(Class<?> type) {
        try {
            Location artifact = Location.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importLocations(Set.of(artifact));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
