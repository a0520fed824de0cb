package org.canaryjudge.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools without a transport, on a real judging path and SQLite store: the schemas are
 * openapi.json's, inlined; every problem of the arguments comes back at its pointer; each tool is
 * only for the sessions its access names.
 */
class AgentToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RolloutStore store;
    private AgentTools tools;

    @BeforeEach
    void open() {
        store = Stores.open("jdbc:sqlite:" + dir.resolve("rollouts.db"));
        tools = new AgentTools(new Ledger(new JsonJudge(), new JudgementWriter(false), store, Clock.systemUTC()), store,
            (result, nanos) -> { }, Clock.systemUTC(),
            new java.util.concurrent.Semaphore(1), java.time.Duration.ofSeconds(2));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private AgentTools.AgentTool tool(String name) {
        return tools.tools().stream().filter(t -> t.tool().name().equals(name)).findFirst().orElseThrow();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void theSchemasAreOpenApisComponentsWithEveryReferenceInlined() throws Exception {
        for (AgentTools.AgentTool t : tools.tools()) {
            String input = JSON.writeValueAsString(t.tool().inputSchema());
            String output = JSON.writeValueAsString(t.tool().outputSchema());
            assertFalse(input.contains("$ref") || output.contains("$ref"), t.tool().name());
            assertEquals("object", t.tool().inputSchema().get("type"), t.tool().name());
            assertEquals("object", t.tool().outputSchema().get("type"), t.tool().name());
        }
        com.fasterxml.jackson.databind.JsonNode document;
        try (var in = AgentToolsTest.class.getResourceAsStream(ToolSchemas.DOCUMENT)) {
            document = JSON.readTree(in);
        }
        assertEquals(document.at("/components/schemas/Band"),
            JSON.valueToTree(tool("judge").tool().inputSchema()).at("/properties/metrics/items/properties/hold"),
            "a metric's hold band is the document's Band, inlined");
    }

    @Test
    void aSchemaThatRefersToItselfIsRefusedRatherThanInlinedForever() throws Exception {
        ToolSchemas looping = ToolSchemas.of(JSON.readTree(
            "{\"components\": {\"schemas\": {\"Tree\": {\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#/components/schemas/Tree\"}}}}}}"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> looping.component("Tree"));
        assertTrue(e.getMessage().contains("refers to itself"), e.getMessage());
    }

    @Test
    void everyProblemOfTheArgumentsIsListedAtItsPointer() {
        McpSchema.CallToolResult judged = tools.call(tool("judge"), Map.of("metrics", List.of(Map.of("name", 3)), "rollbak", 1),
            AgentTools.Caller.LOCAL);
        assertTrue(judged.isError());
        for (String pointer : List.of("\n/rollbak: ", "\n/metrics/0/name: ", "\n/metrics/0/baseline: ", "\n/metrics/0/canary: ")) {
            assertTrue(text(judged).contains(pointer), pointer + " in " + text(judged));
        }
        McpSchema.CallToolResult planned = tools.call(tool("plan_stage"), Map.of("metric", Map.of("name", "error_rate",
            "type", "rate", "hold", Map.of("absolute", 0.005)), "baselineRate", 2, "canaryRequestsPerMinute", "many"),
            AgentTools.Caller.LOCAL);
        assertTrue(planned.isError());
        assertTrue(text(planned).contains("\n/baselineRate: ") && text(planned).contains("\n/canaryRequestsPerMinute: "), text(planned));
        McpSchema.CallToolResult read = tools.call(tool("get_rollout"), Map.of("id", 5, "since", "yesterday"), AgentTools.Caller.LOCAL);
        assertTrue(read.isError());
        assertTrue(text(read).contains("\n/id: must be a string") && text(read).contains("\n/since: is not an argument"), text(read));
    }

    /** plan_stage takes the turns POST /plan takes: with every turn taken, the agent is told to call again. */
    @Test
    void aPlanWaitsForItsTurnAndIsToldToCallAgainWhenNoneComes() {
        AgentTools busy = new AgentTools(new Ledger(new JsonJudge(), new JudgementWriter(false), store, Clock.systemUTC()), store,
            (result, nanos) -> { }, Clock.systemUTC(), new java.util.concurrent.Semaphore(0), java.time.Duration.ofMillis(50));
        AgentTools.AgentTool plan = busy.tools().stream().filter(t -> t.tool().name().equals("plan_stage")).findFirst().orElseThrow();
        McpSchema.CallToolResult refused = busy.call(plan, Map.of("metric", Map.of("name", "error_rate", "type", "rate",
            "hold", Map.of("absolute", 0.005)), "baselineRate", 0.01, "baselineRequestsPerMinute", 1000, "canaryRequestsPerMinute", 100),
            AgentTools.Caller.LOCAL);
        assertTrue(refused.isError());
        assertEquals("the server is busy with other plans; call plan_stage again in a few seconds", text(refused));
    }

    @Test
    void eachToolIsOnlyForTheSessionsItsAccessNames() {
        AgentTools.Caller reviewer = new AgentTools.Caller("Ana Lima", false);
        assertEquals(List.of("judge", "plan_stage", "list_rollouts", "get_rollout"),
            tools.tools(AgentTools.Caller.LOCAL).stream().map(t -> t.tool().name()).toList());
        assertEquals(List.of("list_rollouts", "get_rollout", "record_decision"),
            tools.tools(reviewer).stream().map(t -> t.tool().name()).toList());
        McpSchema.CallToolResult decided = tools.call(tool("record_decision"), Map.of("id", "a", "decision", "promote"),
            AgentTools.Caller.LOCAL);
        assertTrue(decided.isError());
        assertTrue(text(decided).contains("only for a session bound to a reviewer"), text(decided));
        McpSchema.CallToolResult judged = tools.call(tool("judge"), Map.of(), reviewer);
        assertTrue(judged.isError());
        assertTrue(text(judged).contains("machine token"), text(judged));
        assertTrue(tool("record_decision").tool().annotations().destructiveHint());
        assertTrue(tool("get_rollout").tool().annotations().readOnlyHint());
    }
}
