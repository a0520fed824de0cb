package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The build attaches a -sources and a -javadoc jar to each module but judge-benchmarks (a runnable
 * jar only), so that {@code install} puts judge-core's source and Javadoc next to its jar for the
 * tools that embed it, and the simulator's next to its own.
 */
class AttachedJarsIT {

    @ParameterizedTest
    @CsvSource({
        "../judge-core/target, judge-core, org/canaryjudge/model/Band",
        "../judge-simulator/target, judge-simulator, org/canaryjudge/calibration/Simulator",
        "target, judge-server, org/canaryjudge/server/cli/CanaryJudgeCommand"})
    void eachModuleHasSourcesAndJavadocJars(Path folder, String module, String type) throws IOException {
        try (JarFile sources = new JarFile(attached(folder, module, "sources"));
             JarFile javadoc = new JarFile(attached(folder, module, "javadoc"))) {
            assertTrue(sources.getEntry(type + ".java") != null, module + "'s sources jar holds " + type + ".java");
            assertTrue(javadoc.getEntry(type + ".html") != null, module + "'s javadoc jar holds " + type + ".html");
        }
    }

    private static File attached(Path folder, String module, String classifier) throws IOException {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, module + "-*-" + classifier + ".jar")) {
            Iterator<Path> jars = found.iterator();
            assertTrue(jars.hasNext(), "no " + module + " " + classifier + " jar in " + folder);
            return jars.next().toFile();
        }
    }
}
