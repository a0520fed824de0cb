package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void aBadFixtureExitsWithTwoNamingTheFile() throws Exception {
        Path f = FixtureFiles.latencyAndErrors(dir.resolve("bad"), "bad", 5, 1.0, 2, "{'outcome': 'hold'}");
        Files.writeString(f.resolve("data.csv"), Files.readString(f.resolve("data.csv")).replaceFirst("canary", "kanary"));
        JudgeCommandTest.Run r = JudgeCommandTest.run("replay", f.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("data.csv: line 3, column 2 (group): unknown group 'kanary'"), r.err());
        assertEquals(2, JudgeCommandTest.run("replay", dir.resolve("missing").toString()).status());
    }
}
