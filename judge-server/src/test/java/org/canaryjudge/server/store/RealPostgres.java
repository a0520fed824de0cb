package org.canaryjudge.server.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL from Debian's {@code postgresql} package, in a temporary folder on a free port:
 * {@code initdb} and {@code pg_ctl start}, as the unprivileged user {@code nobody} when the tests run as
 * root (PostgreSQL refuses to run as root), stopped by the postmaster's PID. When the binaries are
 * missing, {@link #start} fails (it never skips) and says that {@code .ci/run} installs them.
 */
public final class RealPostgres implements AutoCloseable {

    /** Debian's binaries, of the newest major version installed (15 on bookworm). */
    static final Path BIN = binaries();
    static final String INSTALL = ".ci/run installs Debian's postgresql package (apt-get install -y postgresql), whose"
        + " binaries are in /usr/lib/postgresql/VERSION/bin";
    static final String USER = "judge";

    private final Path folder;
    private final int port;
    private final long pid;
    private final Thread reaper;

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+") && Files.isExecutable(v.resolve("bin/pg_ctl")))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                .map(v -> v.resolve("bin")).orElse(root.resolve("15/bin"));
        } catch (IOException e) {
            return root.resolve("15/bin");
        }
    }

    private RealPostgres(Path folder, int port, long pid) {
        this.folder = folder;
        this.port = port;
        this.pid = pid;
        // A test run that is aborted must not leave the server behind.
        this.reaper = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), "real-postgres-reaper-" + pid);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static RealPostgres start() throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            throw new AssertionError("no PostgreSQL binaries in " + BIN + "; " + INSTALL);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory(Path.of("/tmp"), "canary-judge-pg-");
        Path data = folder.resolve("data");
        if (root) {
            UserPrincipal nobody = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(folder, nobody);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        run(root, folder, BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
            "--no-sync", "--no-locale");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run(root, folder, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("log").toString(), "-w",
            "-t", "60", "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=on", "start");
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).strip());
        return new RealPostgres(folder, port, pid);
    }

    private static void run(boolean root, Path folder, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(List.of(command));
        Path out = Files.createTempFile("canary-judge-pg-", ".out");
        Process p = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", full) + " failed:\n" + output);
        }
    }

    /** @return the JDBC URL of the {@code postgres} database, with the user in it */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    /** Stops the server (fast shutdown, SIGINT to the postmaster), waits for it, and removes its folder. */
    @Override
    public void close() throws IOException {
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        Runtime.getRuntime().removeShutdownHook(reaper);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
