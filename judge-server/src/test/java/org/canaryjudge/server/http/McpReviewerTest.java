package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.mcp.OutputSchemaValidator;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /mcp's token rules with the SDK's own Java client against a real server with a machine token
 * and a reviewer: the machine token gets the judge and the rollout tools, a reviewer's token binds
 * the session to that reviewer, who gets record_decision (and, as on POST /judge, no judging), and
 * the decision lands in the rollout's history under the reviewer's name.
 */
class McpReviewerTest {

    private static final String MACHINE = "machine-token-0123456789";
    private static final String ALICE = "alice-token-0123456789";

    @TempDir
    Path dir;

    private RolloutStore store;
    private JudgeServer server;

    @BeforeEach
    void start() {
        store = Stores.open("jdbc:sqlite:" + dir.resolve("rollouts.db"));
        server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withToken(MACHINE), line -> { }, store,
            Reviewers.parse("test", List.of("alice:" + ALICE)));
    }

    @AfterEach
    void stop() {
        LiveServers.closeAll(server, store);
    }

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.uri().toString())
            .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build();
        McpSyncClient client = McpClient.sync(transport).jsonSchemaValidator(new OutputSchemaValidator()).build();
        client.initialize();
        return client;
    }

    private static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void aReviewersTokenBindsTheSessionToTheReviewerWhoseDecisionIsRecorded() throws Exception {
        try (McpSyncClient machine = client(MACHINE); McpSyncClient alice = client(ALICE)) {
            assertEquals(List.of("judge", "plan_stage", "list_rollouts", "get_rollout"), names(machine));
            assertEquals(List.of("list_rollouts", "get_rollout", "record_decision"), names(alice),
                "a reviewer decides, and judges no more than on POST /judge");
            McpSchema.Tool decide = alice.listTools().tools().stream().filter(t -> t.name().equals("record_decision")).findFirst().orElseThrow();
            assertTrue(decide.annotations().destructiveHint(), "record_decision is annotated destructive");
            assertEquals(List.of("id", "decision", "comment"), List.copyOf(((Map<?, ?>) decide.inputSchema().get("properties")).keySet()));

            JsonNode request = TestRequests.MAPPER.readTree(TestRequests.example());
            ((com.fasterxml.jackson.databind.node.ObjectNode) request).putObject("rollout").put("id", "shop/checkout/1").put("stage", "5%");
            McpSchema.CallToolResult judged = call(machine, "judge", TestRequests.MAPPER.convertValue(request, Map.class));
            assertFalse(judged.isError(), text(judged));

            McpSchema.CallToolResult refused = call(machine, "record_decision", Map.of("id", "shop/checkout/1", "decision", "promote"));
            assertTrue(refused.isError());
            assertTrue(text(refused).contains("only for a session bound to a reviewer"), text(refused));
            McpSchema.CallToolResult notJudging = call(alice, "judge", TestRequests.MAPPER.convertValue(request, Map.class));
            assertTrue(notJudging.isError());
            assertTrue(text(notJudging).contains("machine token"), text(notJudging));

            McpSchema.CallToolResult invalid = call(alice, "record_decision", Map.of("id", 7, "decision", "maybe", "why", "x"));
            assertTrue(invalid.isError());
            for (String pointer : List.of("\n/id: ", "\n/decision: ", "\n/why: ")) {
                assertTrue(text(invalid).contains(pointer), pointer + " in " + text(invalid));
            }
            McpSchema.CallToolResult unknown = call(alice, "record_decision", Map.of("id", "no/such/rollout", "decision", "hold"));
            assertTrue(unknown.isError());
            assertTrue(text(unknown).contains("no rollout \"no/such/rollout\" is remembered"), text(unknown));

            McpSchema.CallToolResult decided = call(alice, "record_decision",
                Map.of("id", "shop/checkout/1", "decision", "promote", "comment", "the memory rise is the new cache; approved"));
            assertFalse(decided.isError(), text(decided));
            JsonNode structured = TestRequests.MAPPER.valueToTree(decided.structuredContent());
            assertEquals("alice", structured.get("by").asText());
            assertEquals("promote", structured.get("decision").asText());
            assertEquals("5%", structured.get("stage").asText());
            assertEquals("shop/checkout/1", structured.get("rollout").asText());
            assertTrue(text(decided).startsWith("recorded: alice decided promote on rollout shop/checkout/1 in stage 5%"), text(decided));

            JsonNode history = TestRequests.MAPPER.valueToTree(call(machine, "get_rollout", Map.of("id", "shop/checkout/1")).structuredContent());
            assertEquals("alice", history.at("/decisions/0/by").asText(), history.toString());
            assertEquals(1, store.rollout("shop/checkout/1").orElseThrow().decisions().size());
        }
    }

    /** plan_stage answers what POST /plan answers for the same request, its reason as the text. */
    @Test
    void planStageIsPostPlan() throws Exception {
        Client.Response plan = new Client(server.uri()).post("/plan", PlanTest.RATE.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json", "Authorization", "Bearer " + MACHINE));
        assertEquals(200, plan.status(), plan.body());
        try (McpSyncClient machine = client(MACHINE)) {
            McpSchema.CallToolResult planned = call(machine, "plan_stage", TestRequests.MAPPER.readValue(PlanTest.RATE, Map.class));
            assertFalse(planned.isError(), text(planned));
            assertEquals(plan.json(), TestRequests.MAPPER.valueToTree(planned.structuredContent()));
            assertEquals(plan.json().get("reason").asText(), text(planned));
        }
    }

    @Test
    void withoutAValidTokenPostMcpIsRefusedAsPostJudgeIs() {
        Client http = new Client(server.uri());
        byte[] list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> json = Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream");
        assertEquals(401, http.post("/mcp", list, json).status());
        Map<String, String> wrong = new java.util.HashMap<>(json);
        wrong.put("Authorization", "Bearer not-a-token-of-anyone");
        Client.Response r = http.post("/mcp", list, wrong);
        assertEquals(401, r.status(), r.body());
        assertEquals("urn:canary-judge:problem:unauthorized", r.json().get("type").asText());
    }
}
