package org.canaryjudge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.cli.CanaryJudgeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileTest {

    @TempDir
    Path dir;

    Path write(String yaml) throws IOException {
        Path file = dir.resolve("judge.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    static List<String> pointers(ConfigException e) {
        return e.violations().stream().map(Violation::path).toList();
    }

    @Test
    void loadsNamedConfigurationsAndServerSettings() throws IOException {
        Path file = write("""
            server:
              host: 0.0.0.0
              port: 9090
              maxBodyBytes: 1048576
              tokenFile: secrets/token
              accessLog: false
              shutdownTimeoutSeconds: 5
            configs:
              checkout:
                mode: fixed
                confidence: 0.9
                metrics:
                  - name: latency_p95_ms
                    hold: {relative: 0.10}
                    rollback: {relative: 0.5}
              search:
                metrics:
                  - {name: cpu, direction: either, hold: {absolute: 0.2}}
            """);
        ConfigFile config = ConfigFile.load(file);
        assertEquals(List.of("checkout", "search"), List.copyOf(config.configurations().keySet()));
        assertEquals("fixed", config.configurations().get("checkout").get("mode").asText());
        assertEquals(0.10, config.configurations().get("checkout").at("/metrics/0/hold/relative").doubleValue());
        ConfigFile.Server server = config.server();
        assertEquals("0.0.0.0", server.host());
        assertEquals(9090, server.port());
        assertEquals(1048576L, server.maxBodyBytes());
        assertEquals(dir.toAbsolutePath().resolve("secrets/token"), server.tokenFile());
        assertEquals(false, server.accessLog());
        assertEquals(Duration.ofSeconds(5), server.shutdownTimeout());
    }

    @Test
    void bothBlocksAreOptional() throws IOException {
        ConfigFile config = ConfigFile.load(write("configs:\n  a:\n    metrics: [{name: x, hold: {ratio: 2}}]\n"));
        assertNull(config.server().port());
        assertEquals(1, config.configurations().size());
        assertTrue(ConfigFile.load(write("server:\n  port: 0\n")).configurations().isEmpty());
    }

    @Test
    void reportsEveryProblemAtItsPointerNamingTheFile() throws IOException {
        Path file = write("""
            server:
              port: 70000
              colour: blue
            configs:
              checkout:
                mode: bayesian
                metrics:
                  - name: latency
                    hold: {relative: -0.1}
                    baseline: [1, 2]
                  - name: latency
                    rollbak: {ratio: 2}
              empty:
                metrics: []
            extra: 1
            """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file));
        assertTrue(e.getMessage().startsWith("invalid configuration file " + file + ":"), e.getMessage());
        List<String> pointers = pointers(e);
        for (String p : List.of("/server/port", "/server/colour", "/configs/checkout/mode", "/configs/checkout/metrics/0/hold/relative",
            "/configs/checkout/metrics/0/baseline", "/configs/checkout/metrics/1/name", "/configs/checkout/metrics/1/rollbak",
            "/configs/empty/metrics", "/extra")) {
            assertTrue(pointers.contains(p), p + " in " + pointers);
            assertTrue(e.getMessage().matches("(?s).*\n  line \\d+: " + Pattern.quote(p) + ": .*"), e.getMessage());
        }
    }

    @Test
    void everyProblemNamesItsLineAndAConfigurationsMetricFieldsIncludeQueries() throws IOException {
        Path file = write("""
            server:
              port: 70000
            configs:
              checkout:
                metrics:
                  - name: latency
                    hold: {relative: -0.1}
                  - name: errors
                    type: rate
                    querys: {}
                  - type: rate
                    hold: {absolute: 0.01}
            """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file));
        String m = e.getMessage();
        assertTrue(m.contains("\n  line 2: /server/port: "), m);
        assertTrue(m.contains("\n  line 7: /configs/checkout/metrics/0/hold/relative: "), m);
        assertTrue(m.contains("\n  line 10: /configs/checkout/metrics/1/querys: unknown field; expected one of name, type, "),
            m);
        String known = m.lines().filter(l -> l.contains("/querys:")).findFirst().orElseThrow();
        assertTrue(known.endsWith(", queries"), known);
        assertTrue(!known.contains("baseline") && !known.contains("canary"), "a configuration holds no data: " + known);
        assertTrue(m.contains("\n  line 11: /configs/checkout/metrics/2/name: "), "a missing field at its metric's line: " + m);
        assertTrue(pointers(e).contains("/configs/checkout/metrics/1/querys"), "the pointers stay as they were");
    }

    @Test
    void badYamlAndMissingFilesAreClearErrors() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(write("configs:\n  a: [\n")));
        assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.load(write("configs:\n  a: 1\n  a: 2\n")));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.load(write("")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.load(write("- a\n- b\n")));
        assertTrue(e.getMessage().contains("must be a mapping"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigFile.load(dir.resolve("missing.yaml")));
        assertTrue(e.getMessage().endsWith("missing.yaml: no such file"), e.getMessage());
    }

    record Run(int status, String out, String err) {
    }

    static Run serve(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CanaryJudgeCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = cli.execute(all);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void serveRefusesAnInvalidFileWithStatusTwoAndNoStackTrace() throws IOException {
        Path file = write("configs:\n  checkout:\n    metrics:\n      - {name: a, hold: {ratio: 0.5}}\n");
        Run run = serve("--port", "0", "--config", file.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("invalid configuration file " + file), run.err());
        assertTrue(run.err().contains("/configs/checkout/metrics/0/hold/ratio: "), run.err());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void serveRefusesAMissingOrEmptyTokenFile() throws IOException {
        Run run = serve("--port", "0", "--token-file", dir.resolve("nope").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("no such token file"), run.err());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        run = serve("--port", "0", "--token-file", empty.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("is empty"), run.err());
    }

    @Test
    void serveDocumentsItsOptions() {
        StringWriter out = new StringWriter();
        CommandLine cli = CanaryJudgeCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("serve", "--help"));
        for (String option : List.of("--host", "--port", "--config", "--token-file", "CANARY_JUDGE_TOKEN")) {
            assertTrue(out.toString().contains(option), out.toString());
        }
    }
}
