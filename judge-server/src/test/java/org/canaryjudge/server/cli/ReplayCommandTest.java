package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.canaryjudge.server.fixture.FixtureFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsATablePerFixtureAndChecksExpectations() {
        FixtureFiles.latencyAndErrors(dir.resolve("crash"), "crash", 30, 1.0, 600, "{'outcome': 'rollback', 'byLook': 1}");
        FixtureFiles.latencyAndErrors(dir.resolve("healthy"), "healthy", 60, 1.0, 2, "{'outcome': 'promote'}");
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", dir.toString(), "--check");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("crash: rollback (decided at look 1), as expected\n  test fixture\n  look  at"), r.out());
        assertTrue(r.out().contains("healthy: promote (decided at look 12), as expected"), r.out());
        assertTrue(r.out().contains("2 of 2 fixtures met their expectation"), r.out());
    }

    @Test
    void checkExitsWithOneAndSaysWhichFixtureMissed() {
        FixtureFiles.latencyAndErrors(dir.resolve("wrong"), "wrong", 30, 1.0, 600, "{'outcome': 'promote'}");
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", dir.resolve("wrong").toString(), "--check");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("MISSED wrong: expected promote, got rollback (decided at look 1)"), r.err());
        assertEquals(0, JudgeCommandTest.run("replay", dir.resolve("wrong").toString()).status(), "without --check: 0");
    }

    @Test
    void jsonPrintsOneDocumentPerFixtureAndLine() throws Exception {
        FixtureFiles.latencyAndErrors(dir.resolve("a"), "a", 12, 1.3, 2, "{'outcome': 'hold'}");
        FixtureFiles.latencyAndErrors(dir.resolve("b"), "b", 12, 1.0, 600, "{'outcome': 'rollback'}");
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", dir.toString(), "--json");
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode a = new ObjectMapper().readTree(lines.get(0));
        assertEquals("a", a.get("fixture").asText());
        assertEquals(3, a.get("looks").size(), "12 minutes at PT5M: looks at 5, 10 and 15 minutes");
        JsonNode look = a.get("looks").get(0);
        assertEquals(1, look.get("look").asInt());
        assertEquals("2024-05-01T12:05:00Z", look.get("at").asText());
        assertTrue(look.get("verdict").asText().matches("promote|hold|rollback"));
        assertTrue(look.get("metrics").has("latency_p99_ms") && look.get("metrics").has("error_rate"));
        assertEquals("rollback", new ObjectMapper().readTree(lines.get(1)).get("outcome").asText());
        assertEquals(1, new ObjectMapper().readTree(lines.get(1)).get("decidedAtLook").asInt());
    }

    @Test
    void jsonCarriesEachMetricsEffectIntervalAndReasonAndWhetherTheExpectationWasMet() throws Exception {
        FixtureFiles.latencyAndErrors(dir.resolve("a"), "a", 60, 1.0, 2, "{'outcome': 'hold'}");
        FixtureFiles.latencyAndErrors(dir.resolve("b"), "b", 30, 1.0, 600, "{'outcome': 'rollback', 'byLook': 1}");
        List<String> lines = JudgeCommandTest.run("replay", dir.toString(), "--json").out().strip().lines().toList();
        JsonNode a = new ObjectMapper().readTree(lines.get(0));
        assertEquals("promote", a.get("outcome").asText());
        assertEquals("decided at look 12", a.get("decision").asText());
        assertEquals("hold", a.get("expect").get("outcome").asText());
        assertFalse(a.get("met").asBoolean());
        assertTrue(a.get("mismatch").asText().startsWith("expected hold, got promote"), a.toString());
        JsonNode last = a.get("looks").get(11);
        assertEquals(a.get("reason").asText(), last.get("reason").asText(), "the deciding look's reason");
        JsonNode p99 = last.get("results").get(0);
        assertEquals("latency_p99_ms", p99.get("name").asText());
        assertEquals(last.get("metrics").get("latency_p99_ms").asText(), p99.get("outcome").asText());
        assertTrue(p99.get("reason").asText().contains("within the +10 % hold band"), p99.toString());
        JsonNode effect = p99.get("effect");
        assertEquals("relative", effect.get("scale").asText());
        assertTrue(effect.get("lower").asDouble() <= effect.get("estimate").asDouble()
            && effect.get("estimate").asDouble() <= effect.get("upper").asDouble(), effect.toString());
        assertTrue(last.get("results").get(1).get("reason").asText().length() > 20);
        JsonNode b = new ObjectMapper().readTree(lines.get(1));
        assertTrue(b.get("met").asBoolean());
        assertEquals(1, b.get("expect").get("byLook").asInt());
        assertFalse(b.has("mismatch"));
    }

    @Test
    void aHoldIsStillHoldingAtTheLastLookNotDecided() throws Exception {
        FixtureFiles.latencyAndErrors(dir.resolve("slow"), "slow", 60, 1.3, 2, "{'outcome': 'hold'}");
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", dir.toString(), "--check");
        assertTrue(r.out().startsWith("slow: hold (still holding at the last look), as expected"), r.out());
        assertFalse(r.out().contains("decided at look"), r.out());
        JsonNode json = new ObjectMapper().readTree(JudgeCommandTest.run("replay", dir.toString(), "--json").out());
        assertEquals("still holding at the last look", json.get("decision").asText());
        assertEquals(12, json.get("decidedAtLook").asInt(), "the contract's field still names the last look");
    }

    @Test
    void aBadFixtureExitsWithTwoNamingTheFile() throws Exception {
        Path f = FixtureFiles.latencyAndErrors(dir.resolve("bad"), "bad", 5, 1.0, 2, "{'outcome': 'hold'}");
        Files.writeString(f.resolve("data.csv"), Files.readString(f.resolve("data.csv")).replaceFirst("canary", "kanary"));
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", f.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("data.csv: line 3, column 2 (group): unknown group 'kanary'"), r.err());
        assertEquals(2, JudgeCommandTest.run("replay", dir.resolve("missing").toString()).status());
    }
}
