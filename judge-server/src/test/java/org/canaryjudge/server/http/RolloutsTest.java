package org.canaryjudge.server.http;

import static org.canaryjudge.server.http.JudgeServerTest.assertProblem;
import static org.canaryjudge.server.http.JudgeServerTest.pointers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout field, the ledger and GET /rollouts against a real server and a real SQLite file. */
class RolloutsTest {

    static final String ID = "shop/checkout/7f9c6d5b8";

    @TempDir
    Path dir;

    static String look(long seed, TestRequests.Flavor flavor, String id, String stage) {
        ObjectNode body = TestRequests.typical(seed, flavor);
        ObjectNode rollout = body.putObject("rollout").put("id", id);
        if (stage != null) {
            rollout.put("stage", stage);
        }
        return body.toString();
    }

    static JudgeServer serve(RolloutStore store, String token) {
        ServerConfig config = ServerConfig.defaults().withPort(0).withAccessLog(false);
        return JudgeServer.start(token == null ? config : config.withToken(token), line -> { }, store);
    }

    static String path(String id) {
        return "/rollouts/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    @Test
    void looksAreNumberedByRolloutAndStageAndSurviveARestart() {
        Path file = dir.resolve("nested/rollouts.db");
        Instant before = Instant.now();
        try (RolloutStore store = JdbcRolloutStore.sqlite(file); JudgeServer server = serve(store, null)) {
            Client client = new Client(server.uri());
            for (int i = 1; i <= 3; i++) {
                Client.Response r = client.postJson(look(i, TestRequests.Flavor.PROMOTE, ID, "5%"));
                assertEquals(200, r.status(), r.body());
                JsonNode rollout = r.json().path("rollout");
                assertEquals(ID, rollout.path("id").asText());
                assertEquals(i, rollout.path("look").asInt());
                assertEquals("5%", rollout.path("stage").asText());
                assertEquals(i, rollout.path("stageLook").asInt());
                assertTrue(rollout.has("decision") && rollout.get("decision").isNull(), r.body());
                assertFalse(Instant.parse(rollout.path("startedAt").asText()).isBefore(before.minusSeconds(1)));
            }
            // Another rollout does not disturb the first one's numbering.
            assertEquals(1, client.postJson(look(9, TestRequests.Flavor.HOLD, "other@v2", null)).json().path("rollout").path("look").asInt());
            // No stage: the look stays in the current one.
            JsonNode fourth = client.postJson(look(4, TestRequests.Flavor.PROMOTE, ID, null)).json().path("rollout");
            assertEquals("5%", fourth.path("stage").asText());
            assertEquals(4, fourth.path("stageLook").asInt());
            String scrape = client.get("/metrics").body();
            assertTrue(scrape.contains("canary_judge_judgements_total{config=\"none\",verdict=\"promote\"} 4.0"), scrape);
            assertTrue(scrape.contains("canary_judge_judgements_total{config=\"none\",verdict=\"hold\"} 1.0"), scrape);
            assertTrue(scrape.contains("canary_judge_rollout_looks_total{stage=\"5%\"} 4.0"), scrape);
            assertTrue(scrape.contains("canary_judge_rollout_looks_total{stage=\"none\"} 1.0"), scrape);
            assertTrue(scrape.contains("canary_judge_rollouts_active 2.0"), scrape);
        }
        try (RolloutStore store = JdbcRolloutStore.sqlite(file); JudgeServer server = serve(store, null)) {
            Client client = new Client(server.uri());
            JsonNode fifth = client.postJson(look(5, TestRequests.Flavor.ROLLBACK, ID, "25%")).json().path("rollout");
            assertEquals(5, fifth.path("look").asInt());
            assertEquals("25%", fifth.path("stage").asText());
            assertEquals(1, fifth.path("stageLook").asInt());
            assertEquals(fifth.path("stageStartedAt"), client.get(path(ID)).json().path("stages").get(1).path("startedAt"));

            JsonNode list = client.get("/rollouts").json().path("rollouts");
            assertEquals(2, list.size());
            assertEquals(ID, list.get(0).path("id").asText(), "most recently updated first");
            assertEquals("rollback", list.get(0).path("verdict").asText());
            assertEquals("25%", list.get(0).path("stage").asText());
            assertEquals(5, list.get(0).path("looks").asInt());
            assertEquals("other@v2", list.get(1).path("id").asText());

            Client.Response r = client.get(path(ID));
            assertEquals(200, r.status(), r.body());
            JsonNode history = r.json();
            assertEquals(ID, history.path("id").asText());
            assertEquals(2, history.path("stages").size());
            assertEquals("5%", history.path("stages").get(0).path("name").asText());
            assertEquals(4, history.path("stages").get(0).path("looks").asInt());
            assertEquals(1, history.path("stages").get(1).path("looks").asInt());
            assertEquals(5, history.path("looks").size());
            JsonNode last = history.path("looks").get(4);
            assertEquals(5, last.path("look").asInt());
            assertEquals("rollback", last.path("verdict").asText());
            JsonNode latency = last.path("metrics").get(0);
            assertEquals("latency_p95_ms", latency.path("name").asText());
            assertEquals("rollback", latency.path("outcome").asText());
            assertTrue(latency.path("effect").path("estimate").asDouble() > 0.5, latency.toString());
            assertFalse(latency.path("reason").asText().isBlank());
            assertEquals(60, latency.path("baselinePoints").asInt());
            assertEquals(60, latency.path("canaryPoints").asInt());
            assertTrue(history.path("decisions").isArray());
            // The raw slashes reach the same rollout.
            assertEquals(history, client.get("/rollouts/" + ID).json());
        }
    }

    @Test
    void requestsAndResponsesConformToTheOpenApiDocument() throws java.io.IOException {
        JsonNode document;
        try (var in = JudgeServer.class.getResourceAsStream("openapi.json")) {
            document = TestRequests.MAPPER.readTree(in);
        }
        String body = look(1, TestRequests.Flavor.PROMOTE, ID, "5%");
        assertEquals(java.util.Set.of(), OpenApiSchemas.validate("JudgeRequest", TestRequests.MAPPER.readTree(body)));
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("o.db")); JudgeServer server = serve(store, null);
             JudgeServer none = serve(null, null)) {
            Client client = new Client(server.uri());
            List<Object[]> calls = List.of(
                new Object[] {"POST", "/judge", client.postJson(body)},
                new Object[] {"POST", "/judge", new Client(none.uri()).postJson(body)},
                new Object[] {"GET", "/rollouts", client.get("/rollouts")},
                new Object[] {"GET", "/rollouts/{id}", client.get(path(ID))},
                new Object[] {"GET", "/rollouts/{id}", client.get(path("nobody"))});
            for (Object[] call : calls) {
                Client.Response r = (Client.Response) call[2];
                assertEquals(java.util.Set.of(), OpenApiSchemas.validateResponse(document, (String) call[0], (String) call[1], r),
                    call[1] + " " + r.status() + ": " + r.body());
            }
        }
    }

    @Test
    void aBadRolloutIsReportedWithEveryOtherProblemAtItsPointer() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("r.db")); JudgeServer server = serve(store, null)) {
            Client client = new Client(server.uri());
            ObjectNode body = TestRequests.typical(1, TestRequests.Flavor.PROMOTE);
            body.putObject("rollout").put("id", "has space").put("stage", 25).put("weight", 5);
            ((ObjectNode) body.path("metrics").get(0)).put("direction", "sideways");
            Client.Response r = client.postJson(body.toString());
            assertProblem(r, 400, "invalid-request");
            List<String> pointers = pointers(r);
            assertTrue(pointers.containsAll(List.of("/rollout/id", "/rollout/stage", "/rollout/weight", "/metrics/0/direction")),
                pointers.toString());

            for (String bad : List.of("\"r\"", "{\"stage\": \"5%\"}", "{\"id\": \"" + "x".repeat(201) + "\"}", "{\"id\": \"\"}")) {
                ObjectNode b = TestRequests.typical(1, TestRequests.Flavor.PROMOTE);
                b.set("rollout", TestRequests.MAPPER.readTree(bad));
                Client.Response one = client.postJson(b.toString());
                assertProblem(one, 400, "invalid-request");
                assertTrue(pointers(one).get(0).startsWith("/rollout"), one.body());
            }
            assertEquals(0, client.get("/rollouts").json().path("rollouts").size(), "a refused look is not recorded");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDryRunMetricIsJudgedRecordedAndShownButNeverCounted() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("d.db")); JudgeServer server = serve(store, null)) {
            Client client = new Client(server.uri());
            ObjectNode rollback = TestRequests.typical(3, TestRequests.Flavor.ROLLBACK);
            Client.Response counted = client.postJson(rollback.toString());
            assertEquals("rollback", counted.json().path("verdict").asText());
            // The doubled latency, as a dry run: the other two metrics pass, so the verdict is promote.
            ((ObjectNode) rollback.path("metrics").get(0)).put("dryRun", true);
            rollback.putObject("rollout").put("id", "dry/run/1").put("stage", "5%");
            Client.Response r = client.postJson(rollback.toString());
            assertEquals(200, r.status(), r.body());
            assertEquals("promote", r.json().path("verdict").asText(), r.body());
            JsonNode latency = r.json().path("metrics").get(0);
            assertEquals("latency_p95_ms", latency.path("name").asText());
            assertEquals("rollback", latency.path("outcome").asText(), "judged all the same");
            assertTrue(latency.path("dryRun").asBoolean(), r.body());
            assertFalse(r.json().path("metrics").get(1).has("dryRun"));
            JsonNode recorded = client.get(path("dry/run/1")).json().path("looks").get(0);
            assertEquals("promote", recorded.path("verdict").asText());
            assertTrue(recorded.path("metrics").get(0).path("dryRun").asBoolean(), recorded.toString());
            assertEquals("rollback", recorded.path("metrics").get(0).path("outcome").asText());

            ObjectNode bad = TestRequests.typical(3, TestRequests.Flavor.PROMOTE);
            ((ObjectNode) bad.path("metrics").get(1)).put("dryRun", "yes");
            assertEquals(List.of("/metrics/1/dryRun"), pointers(client.postJson(bad.toString())));
            ObjectNode allDry = TestRequests.typical(3, TestRequests.Flavor.PROMOTE);
            allDry.path("metrics").forEach(m -> ((ObjectNode) m).put("dryRun", true));
            assertEquals(List.of("/metrics"), pointers(client.postJson(allDry.toString())));
        }
    }

    @Test
    void unknownRolloutsAre404AndTheTokenGuardsTheHistory() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("t.db")); JudgeServer server = serve(store, "s3cret")) {
            Client client = new Client(server.uri());
            assertProblem(client.get("/rollouts"), 401, "unauthorized");
            assertProblem(client.get(path(ID)), 401, "unauthorized");
            Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
            Client.Response missing = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path("no/such@1"))).GET(), auth);
            assertProblem(missing, 404, "no-such-rollout");
            Client.Response list = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/rollouts")).GET(), auth);
            assertEquals(200, list.status(), list.body());
        }
    }

    @Test
    void withoutAStoreTheRolloutIsEchoedAndNothingIsKept() {
        try (JudgeServer server = serve(null, null)) {
            Client client = new Client(server.uri());
            JsonNode rollout = client.postJson(look(1, TestRequests.Flavor.PROMOTE, ID, "5%")).json().path("rollout");
            assertEquals(ID, rollout.path("id").asText());
            assertEquals("5%", rollout.path("stage").asText());
            assertTrue(rollout.path("look").isNull());
            assertEquals(0, client.get("/rollouts").json().path("rollouts").size());
            assertProblem(client.get(path(ID)), 404, "no-such-rollout");
        }
    }
}
