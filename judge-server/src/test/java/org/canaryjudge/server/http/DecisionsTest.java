package org.canaryjudge.server.http;

import static org.canaryjudge.server.http.JudgeServerTest.assertProblem;
import static org.canaryjudge.server.http.JudgeServerTest.pointers;
import static org.canaryjudge.server.http.RolloutsTest.ID;
import static org.canaryjudge.server.http.RolloutsTest.look;
import static org.canaryjudge.server.http.RolloutsTest.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person's decisions and Flagger's manual gate, against a real server and a real SQLite file. */
class DecisionsTest {

    static final String ANA = "ana-token-0123456789";
    static final String BO = "bo-token-0123456789ab";
    static final String MACHINE = "machine-token-0123456789";
    static final Reviewers REVIEWERS = Reviewers.parse("test", List.of("# who may decide", "Ana Lima:" + ANA, "bo:" + BO));

    @TempDir
    Path dir;

    static JudgeServer serve(RolloutStore store, String token, Reviewers reviewers) {
        ServerConfig config = ServerConfig.defaults().withPort(0).withAccessLog(false);
        return JudgeServer.start(token == null ? config : config.withToken(token), line -> { }, store, reviewers);
    }

    static Client.Response decide(Client client, String id, String token, String body) {
        Map<String, String> headers = token == null ? Map.of("Content-Type", "application/json")
            : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        return client.post(path(id) + "/decisions", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static Client.Response judge(Client client, String body, String token) {
        return client.post("/judge", body.getBytes(StandardCharsets.UTF_8), token == null ? Map.of("Content-Type", "application/json")
            : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token));
    }

    @Test
    void anApprovalTurnsTheNextHoldIntoPromoteNamingTheReviewerButNeverPastARollback() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("r.db")); JudgeServer server = serve(store, null, REVIEWERS)) {
            Client client = new Client(server.uri());
            assertEquals("hold", client.postJson(look(1, TestRequests.Flavor.HOLD, ID, "25%")).json().path("verdict").asText());

            Client.Response made = decide(client, ID, ANA, "{\"decision\": \"promote\", \"comment\": \"the p99 rise is the cache warming\"}");
            assertEquals(201, made.status(), made.body());
            assertEquals("promote", made.json().path("decision").asText());
            assertEquals("Ana Lima", made.json().path("by").asText());
            assertEquals("25%", made.json().path("stage").asText());
            assertEquals(ID, made.json().path("rollout").asText());

            JsonNode next = client.postJson(look(2, TestRequests.Flavor.HOLD, ID, null)).json();
            assertEquals("promote", next.path("verdict").asText(), next.toString());
            String reason = next.path("reason").asText();
            assertTrue(reason.startsWith("Ana Lima decided promote at "), reason);
            assertTrue(reason.contains("the p99 rise is the cache warming") && reason.contains("the evidence alone says hold"), reason);
            assertEquals("Ana Lima", next.path("rollout").path("decision").path("by").asText());

            // A 3x canary: the data show a rollback, which no approval overrides.
            JsonNode harmful = client.postJson(look(3, TestRequests.Flavor.ROLLBACK, ID, null)).json();
            assertEquals("rollback", harmful.path("verdict").asText(), harmful.toString());
            assertTrue(harmful.path("reason").asText().contains("no decision can approve past"), harmful.toString());

            // The decision was made in stage 25%; a new stage starts without it.
            JsonNode widened = client.postJson(look(4, TestRequests.Flavor.HOLD, ID, "50%")).json();
            assertEquals("hold", widened.path("verdict").asText(), widened.toString());
            assertTrue(widened.path("rollout").path("decision").isNull());

            JsonNode history = client.get(path(ID)).json();
            assertEquals(1, history.path("decisions").size());
            assertEquals("the p99 rise is the cache warming", history.path("decisions").get(0).path("comment").asText());
            assertEquals("promote", history.path("looks").get(1).path("verdict").asText(), "the ledger keeps the verdict that was answered");
            JsonNode listed = client.get("/rollouts").json().path("rollouts").get(0);
            assertTrue(listed.path("decision").isNull(), "no decision stands in the 50% stage: " + listed);
        }
    }

    @Test
    void rollbackAndHoldDecisionsBoundTheVerdict() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("r.db")); JudgeServer server = serve(store, null, REVIEWERS)) {
            Client client = new Client(server.uri());
            client.postJson(look(1, TestRequests.Flavor.PROMOTE, "a", null));
            assertEquals(201, decide(client, "a", BO, "{\"decision\": \"rollback\"}").status());
            JsonNode a = client.postJson(look(2, TestRequests.Flavor.PROMOTE, "a", null)).json();
            assertEquals("rollback", a.path("verdict").asText());
            assertTrue(a.path("reason").asText().startsWith("bo decided rollback at "), a.toString());

            client.postJson(look(1, TestRequests.Flavor.PROMOTE, "b", null));
            assertEquals(201, decide(client, "b", BO, "{\"decision\": \"hold\", \"comment\": \"wait for the batch job\"}").status());
            JsonNode b = client.postJson(look(2, TestRequests.Flavor.PROMOTE, "b", null)).json();
            assertEquals("hold", b.path("verdict").asText());
            assertTrue(b.path("reason").asText().contains("the evidence alone says promote"), b.toString());
        }
    }

    @Test
    void onlyAReviewerCanDecide() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("r.db")); JudgeServer server = serve(store, MACHINE, REVIEWERS)) {
            Client client = new Client(server.uri());
            assertEquals(200, judge(client, look(1, TestRequests.Flavor.HOLD, ID, "5%"), MACHINE).status());
            String approve = "{\"decision\": \"promote\"}";
            assertProblem(decide(client, ID, null, approve), 401, "unauthorized");
            assertProblem(decide(client, ID, "not-a-reviewer-token-123", approve), 401, "unauthorized");
            assertProblem(decide(client, ID, MACHINE, approve), 403, "forbidden");
            assertProblem(decide(client, "no/such/rollout", ANA, approve), 404, "no-such-rollout");
            Client.Response bad = decide(client, ID, ANA, "{\"decision\": \"ship it\", \"comment\": 7, \"by\": \"mallory\"}");
            assertProblem(bad, 400, "invalid-request");
            assertEquals(List.of("/by", "/comment", "/decision"), pointers(bad).stream().sorted().toList());
            assertEquals(401, client.get(path(ID)).status(), "reads need a token when the server has one");
            Client.Response read = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path(ID))).GET(),
                Map.of("Authorization", "Bearer " + BO));
            assertEquals(200, read.status(), "a reviewer may read the rollouts");
            assertTrue(read.json().path("decisions").isEmpty(), "no refused decision was recorded");
        }
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("s.db")); JudgeServer server = serve(store, null, Reviewers.none())) {
            Client client = new Client(server.uri());
            client.postJson(look(1, TestRequests.Flavor.HOLD, ID, null));
            assertProblem(decide(client, ID, ANA, "{\"decision\": \"promote\"}"), 403, "forbidden");
        }
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
            () -> serve(null, ANA, REVIEWERS));
        assertTrue(shared.getMessage().contains("machine token is also a reviewer's"), shared.getMessage());
    }

    @Test
    void flaggersConfirmPromotionWaitsForAPersonsApproval() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("r.db")); JudgeServer server = serve(store, MACHINE, REVIEWERS)) {
            Client client = new Client(server.uri());
            String payload = "{\"name\": \"podinfo\", \"namespace\": \"test\", \"phase\": \"Progressing\", \"checksum\": \"6d9f\","
                + " \"metadata\": {\"token\": \"" + MACHINE + "\"}}";
            Client.Response early = client.post("/flagger/confirm", payload.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertEquals(403, early.status(), early.body());
            assertTrue(early.body().contains("has no looks yet"), early.body());

            assertEquals(200, judge(client, look(1, TestRequests.Flavor.HOLD, "test/podinfo/6d9f", "50%"), MACHINE).status());
            Client.Response waiting = client.post("/flagger/confirm", payload.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertEquals(403, waiting.status());
            assertTrue(waiting.body().startsWith("waiting for a person: nobody has decided on test/podinfo/6d9f in stage 50%"), waiting.body());

            assertEquals(201, decide(client, "test/podinfo/6d9f", ANA, "{\"decision\": \"promote\", \"comment\": \"ok\"}").status());
            Client.Response approved = client.post("/flagger/confirm", payload.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertEquals(200, approved.status(), approved.body());
            assertTrue(approved.body().startsWith("approved by Ana Lima at "), approved.body());

            String wrongToken = payload.replace(MACHINE, "guess");
            assertEquals(401, client.post("/flagger/confirm", wrongToken.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json")).status());
            Client.Response noChecksum = client.post("/flagger/confirm", payload.replace("\"checksum\": \"6d9f\",", "")
                .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
            assertProblem(noChecksum, 400, "invalid-request");
            assertEquals(List.of("/checksum"), pointers(noChecksum));
        }
    }

    @Test
    void reviewersFilesAreCheckedLineByLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reviewers.parse("people.txt",
            List.of("ana:short", "no colon here", "bo:" + BO, "bo:" + ANA, "cy:" + BO, "<script>:" + MACHINE)));
        String m = e.getMessage();
        for (String expected : List.of("line 1: the token must be at least 16", "line 2: must be name:token",
            "line 4: the reviewer bo is named twice", "line 5: the token is also another reviewer's", "line 6: the name must be")) {
            assertTrue(m.contains(expected), expected + " in " + m);
        }
        assertFalse(m.contains("short") || m.contains(BO), "tokens are never shown: " + m);
        assertEquals("Ana Lima", REVIEWERS.identify(ANA).orElseThrow());
        assertTrue(REVIEWERS.identify(ANA + "x").isEmpty());
        assertTrue(REVIEWERS.identify("").isEmpty());
    }
}
