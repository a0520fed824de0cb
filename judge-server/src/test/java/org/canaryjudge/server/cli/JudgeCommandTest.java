package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's exit statuses and messages, in process, on real files and standard input. */
class JudgeCommandTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = CanaryJudgeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path request(String name, String json) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    private static String metric(double canaryMean) {
        StringBuilder b = new StringBuilder("[");
        StringBuilder c = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            b.append(i == 0 ? "" : ",").append(100 + (i * 37 % 11) * 0.1);
            c.append(i == 0 ? "" : ",").append(canaryMean + (i * 53 % 11) * 0.1);
        }
        return "{'name': 'p99', 'correlation': 'ignore', 'hold': {'relative': 0.1}, 'rollback': {'relative': 0.5},"
            + " 'baseline': " + b + "], 'canary': " + c + "]}";
    }

    @Test
    void exitStatusIsTheVerdict() throws Exception {
        assertEquals(0, run("judge", request("p.json", "{'mode': 'fixed', 'metrics': [" + metric(100) + "]}").toString()).status());
        assertEquals(10, run("judge", request("h.json", "{'mode': 'fixed', 'metrics': [" + metric(125) + "]}").toString()).status());
        Run rollback = run("judge", request("r.json", "{'mode': 'fixed', 'metrics': [" + metric(200) + "]}").toString());
        assertEquals(20, rollback.status());
        JsonNode response = new ObjectMapper().readTree(rollback.out());
        assertEquals("rollback", response.get("verdict").asText());
    }

    @Test
    void theReadmeExampleGivesItsDocumentedVerdict() throws Exception {
        Run r = run("judge", "--compact", "../examples/request.json");
        assertEquals(10, r.status(), r.err());
        JsonNode response = new ObjectMapper().readTree(r.out());
        assertEquals("hold", response.get("verdict").asText());
        assertEquals("pass", response.get("metrics").get(0).get("outcome").asText());
        assertEquals("hold", response.get("metrics").get(1).get("outcome").asText());
        assertEquals(1, r.out().strip().lines().count(), "--compact prints one line");
    }

    @Test
    void readsStandardInputWhenNoFileIsGiven() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("{\"mode\": \"fixed\", \"metrics\": [" + metric(100).replace('\'', '"') + "]}")
                .getBytes(StandardCharsets.UTF_8)));
            Run r = run("judge");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("\"promote\""));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void invalidInputExitsWithTwoAndNamesEveryFieldByPointer() throws Exception {
        Run r = run("judge", request("bad.json", "{'mode': 'fixed', 'metrics': [{'name': 'p99', 'hold': {'relative': 0},"
            + " 'baseline': [1, 'x'], 'canary': [1]}]}").toString());
        assertEquals(2, r.status());
        assertEquals("", r.out(), "no verdict for invalid input");
        assertTrue(r.err().contains("invalid request in "), r.err());
        assertTrue(r.err().contains("/metrics/0/hold/relative: a band's amount must be a finite number above 0, got 0.0"), r.err());
        assertTrue(r.err().contains("/metrics/0/baseline/1: must be a number or null (missing), got a string"), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void malformedJsonAndMissingFilesExitWithTwo() throws Exception {
        Run malformed = run("judge", request("m.json", "{'metrics': [}").toString());
        assertEquals(2, malformed.status());
        assertTrue(malformed.err().contains("(whole request): malformed JSON at line 1, column 14"), malformed.err());
        Run missing = run("judge", dir.resolve("nope.json").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void theContractsExampleHoldsForTooFewRequests() throws Exception {
        Run r = run("judge", request("contract.json", "{'id': 'checkout-v42-look-3', 'mode': 'sequential', 'metrics': ["
            + "{'name': 'latency_p99_ms', 'hold': {'relative': 0.10}, 'rollback': {'relative': 0.50},"
            + " 'baseline': [120.1, 118.3, null, 121.0], 'canary': [125.0, 119.9, 122.4, 180.2]},"
            + "{'name': 'error_rate', 'type': 'rate', 'critical': true, 'hold': {'absolute': 0.005}, 'rollback': {'ratio': 2.0},"
            + " 'baseline': {'errors': [3, 1, 2], 'requests': [10000, 9800, 10100]},"
            + " 'canary': {'errors': [0, 1, 0], 'requests': [210, 190, 205]}}]}").toString());
        assertEquals(10, r.status(), r.err());
        JsonNode response = new ObjectMapper().readTree(r.out());
        assertEquals("sequential", response.get("mode").asText());
        assertTrue(response.get("reason").asText().contains(
            "error_rate: too few canary requests to judge: 605 of the 1,200 needed"), response.get("reason").asText());
        assertEquals(605, response.get("metrics").get(1).get("canary").get("requests").asInt());
    }

    @Test
    void sequentialIsTheDefaultMode() throws Exception {
        Run r = run("judge", request("s.json", "{'metrics': [" + metric(100) + "]}").toString());
        assertEquals("sequential", new ObjectMapper().readTree(r.out()).get("mode").asText(), r.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run().status());
        assertEquals(2, run("judge", "a.json", "b.json").status());
        assertEquals(2, run("bogus").status());
        Run help = run("judge", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("0 promote, 10 hold, 20 rollback, 2 invalid input"), help.out());
    }
}
