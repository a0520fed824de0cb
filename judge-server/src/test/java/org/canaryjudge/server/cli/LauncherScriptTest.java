package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code canary-judge} launcher at the repository root, run in a copy of the repository's
 * layout whose {@code mvnw} and {@code java} only record that they ran.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "canary-judge");
    private static final String FLAGS = "-DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true";
    private static final Instant NOW = Instant.now();
    private static final Instant HOUR_AGO = NOW.minusSeconds(3600);

    @TempDir
    Path root;

    private Path jar;
    private Path buildLog;

    @BeforeEach
    void layout() throws IOException {
        Files.copy(SCRIPT, root.resolve("canary-judge"));
        executable(root.resolve("canary-judge"));
        jar = root.resolve("judge-server/target/canary-judge.jar");
        buildLog = root.resolve("build.log");
        Files.createDirectories(root.resolve("bin"));
        write(root.resolve("mvnw"), "#!/usr/bin/env bash\necho \"$*\" >> \"" + buildLog + "\"\n"
            + "mkdir -p judge-server/target && echo jar > judge-server/target/canary-judge.jar\n");
        executable(root.resolve("mvnw"));
        write(root.resolve("bin/java"), "#!/usr/bin/env bash\necho \"java $*\"\n");
        executable(root.resolve("bin/java"));
        for (String source : List.of("pom.xml", "judge-core/pom.xml", "judge-core/src/main/java/A.java",
            "judge-simulator/src/main/java/C.java", "judge-server/pom.xml", "judge-server/src/main/resources/b.txt")) {
            write(root.resolve(source), source);
            Files.setLastModifiedTime(root.resolve(source), FileTime.from(HOUR_AGO));
        }
    }

    @Test
    void aMissingJarIsBuiltQuietlyWhenNotOnATerminal() throws Exception {
        Run run = run();
        assertEquals(List.of("-B -q " + FLAGS + " -pl judge-server -am package"), Files.readAllLines(buildLog));
        assertEquals("java -jar " + root.toRealPath().resolve("judge-server/target/canary-judge.jar") + " --version\n",
            run.out());
        assertEquals("", run.err(), "quiet when standard error is not a terminal");
    }

    @Test
    void aJarNewerThanEverySourceIsRunAsItIs() throws Exception {
        jarAt(NOW);
        Run run = run();
        assertFalse(Files.exists(buildLog), "no build");
        assertTrue(run.out().startsWith("java -jar "), run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"judge-core/src/main/java/A.java", "judge-simulator/src/main/java/C.java",
        "judge-server/src/main/resources/b.txt", "pom.xml", "judge-server/pom.xml"})
    void aSourceNewerThanTheJarRebuildsIt(String source) throws Exception {
        jarAt(HOUR_AGO.minusSeconds(60));
        Files.setLastModifiedTime(root.resolve(source), FileTime.from(NOW));
        run();
        assertEquals(1, Files.readAllLines(buildLog).size());
        run();
        assertEquals(1, Files.readAllLines(buildLog).size(), "the rebuilt jar counts as up to date");
    }

    @Test
    void onATerminalTheRebuildSaysWhyAndShowsMavensProgress() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script gives the launcher a terminal");
        jarAt(HOUR_AGO.minusSeconds(60));
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(NOW));
        Run run = run("/usr/bin/script", "-qec", "./canary-judge --version", "/dev/null");
        assertTrue(run.out().contains("sources changed since"), run.out());
        assertEquals(List.of("-B -ntp " + FLAGS + " -pl judge-server -am package"), Files.readAllLines(buildLog));
    }

    private Run run() throws Exception {
        return run("./canary-judge", "--version");
    }

    private Run run(String... command) throws Exception {
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher finishes");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new Run(Files.readString(out), Files.readString(err));
    }

    private void jarAt(Instant time) throws IOException {
        write(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(time));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(String out, String err) {
    }
}
