package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code canary-judge serve}, run from the shaded jar as its own process, the way operators run it. */
class ServeIT {

    private static final Path JAR = Path.of("target", "canary-judge.jar");

    @TempDir
    Path dir;

    /** A served process; {@link #stdout()} holds every line once the process has exited. */
    record Served(Process process, URI uri, List<String> lines, Thread reader) {

        /** @return the lines printed so far; after the process exited, all of them (the reader is joined) */
        List<String> stdout() {
            if (!process.isAlive()) {
                try {
                    reader.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return lines;
        }
    }

    static Served serve(Map<String, String> env, String... args) throws IOException {
        return serve(List.of(), env, args);
    }

    /** As {@link #serve(Map, String...)}, with options for the JVM such as {@code -Xmx256m}. */
    static Served serve(List<String> jvm, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", JAR.toString(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("CANARY_JUDGE_TOKEN");
        builder.environment().putAll(env);
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null, "the server printed where it listens");
        Matcher m = Pattern.compile("^listening on (http://127\\.0\\.0\\.1:(\\d+))$").matcher(first);
        assertTrue(m.matches(), first);
        assertTrue(Integer.parseInt(m.group(2)) > 0);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try {
                out.lines().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // The process was killed and its output closed under the reader: what it printed is kept.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Served(p, URI.create(m.group(1)), lines, reader);
    }

    static int stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
        return p.exitValue();
    }

    @Test
    void servesOnAFreePortJudgesAndStopsCleanlyOnSigterm() throws Exception {
        Served s = serve(Map.of(), "--port", "0");
        try {
            Client client = new Client(s.uri());
            assertEquals(200, client.get("/readyz").status());
            Client.Response r = client.postJson(TestRequests.example());
            assertEquals(200, r.status(), r.body());
            assertEquals("hold", r.json().path("verdict").asText());
            JudgeServerTest.assertProblem(client.postJson("{\"metrics\": 1}"), 400, "invalid-request");
        } finally {
            assertEquals(0, stop(s.process()), "exit status 0 on a clean shutdown");
        }
        assertTrue(s.stdout().stream().anyMatch(l -> l.matches("ts=\\S+ rid=[0-9a-f]{16} method=POST path=/judge status=200 ms=\\S+ verdict=hold")),
            String.join("\n", s.stdout()));
    }

    @Test
    void takesTheTokenFromTheEnvironmentAndConfigurationsFromAFile() throws Exception {
        Path config = dir.resolve("judge.yaml");
        Files.writeString(config, """
            server:
              accessLog: false
            configs:
              checkout:
                mode: fixed
                metrics:
                  - {name: latency_p99_ms, hold: {relative: 0.10}, rollback: {relative: 0.50}}
                  - {name: memory_mb, hold: {relative: 0.20}, rollback: {ratio: 2.0}}
            """);
        Served s = serve(Map.of("CANARY_JUDGE_TOKEN", "env-token"), "--port", "0", "--config", config.toString());
        try {
            Client client = new Client(s.uri());
            String body = TestRequests.example().replace("\"mode\": \"fixed\"", "\"config\": \"checkout\"");
            JudgeServerTest.assertProblem(client.postJson(body), 401, "unauthorized");
            Client.Response r = client.post("/judge", body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer env-token"));
            assertEquals(200, r.status(), r.body());
            assertEquals("hold", r.json().path("verdict").asText());
            assertEquals("checkout", client.get("/readyz").json().path("configs").get(0).asText());
        } finally {
            assertEquals(0, stop(s.process()));
        }
        assertTrue(s.stdout().isEmpty(), "accessLog: false: " + s.stdout());
    }

    @Test
    void anInvalidConfigurationExitsWithTwoNamingTheFileAndPointer() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "configs:\n  checkout:\n    metrics:\n      - {name: a, hold: {absolute: 0}}\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
            "serve", "--port", "0", "--config", config.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertEquals("", out);
        assertTrue(err.contains("bad.yaml") && err.contains("/configs/checkout/metrics/0/hold/absolute"), err);
        assertFalse(err.contains("\tat "), err);
    }
}
