package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code canary-judge plan}: the reason by default, the JSON with --json, exit status 2 on bad input. */
class PlanCommandTest {

    @TempDir
    Path dir;

    private Path request(String json) throws Exception {
        Path file = dir.resolve("plan.json");
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    private static final String RATE = "{'metric': {'name': 'error_rate', 'type': 'rate', 'hold': {'absolute': 0.005},"
        + " 'rollback': {'absolute': 0.02}}, 'baselineRate': 0.002, 'baselineRequestsPerMinute': 980,"
        + " 'canaryRequestsPerMinute': 20, 'totalRequestsPerMinute': 1000}";

    @Test
    void printsTheReasonOrTheJson() throws Exception {
        JudgeCommandTest.Run text = JudgeCommandTest.run("plan", request(RATE).toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("At this traffic (20 canary and 980 baseline requests a minute, 2 % of traffic"),
            text.out());
        JudgeCommandTest.Run json = JudgeCommandTest.run("plan", "--json", request(RATE).toString());
        assertEquals(0, json.status(), json.err());
        assertEquals(text.out().strip(), new ObjectMapper().readTree(json.out()).path("reason").asText());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheField() throws Exception {
        JudgeCommandTest.Run r = JudgeCommandTest.run("plan", request(RATE.replace("0.002", "-1")).toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("/baselineRate: must be an error rate"), r.err());
        assertEquals(2, JudgeCommandTest.run("plan", dir.resolve("missing.json").toString()).status());
    }
}
