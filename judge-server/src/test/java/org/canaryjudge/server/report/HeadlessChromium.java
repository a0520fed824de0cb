package org.canaryjudge.server.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless on a local page. Fails the calling test, with the line
 * that installs it, when it is not on the PATH: the report test must not pass without rendering.
 */
final class HeadlessChromium {

    static final String INSTALL = "apt-get install -y chromium";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /**
     * @param work a folder for the browser's profiles and logs
     * @return the browser on the PATH; fails the test when there is none
     */
    static HeadlessChromium find(Path work) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate, work);
            }
        }
        return fail("chromium is not installed (no 'chromium' on the PATH); the report test renders the page in "
            + "headless Chromium. Install it with: " + INSTALL);
    }

    /** @return the page's DOM after its scripts ran */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run("--dump-dom", page.toUri().toString());
    }

    /** Saves a screenshot of the page, {@code width} × {@code height} pixels. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run("--screenshot=" + png, "--window-size=" + width + "," + height, page.toUri().toString());
        assertTrue(Files.size(png) > 0, "chromium wrote an empty screenshot");
    }

    private String run(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path log = Files.createTempFile(work, "chromium", ".log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
            "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "chromium", ".out");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + tail(log));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + tail(log));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
