package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP TypeScript SDK ({@code @modelcontextprotocol/sdk} from npm, installed with
 * {@code npm ci} from src/test/mcp-client's lock file) as an agent's client: over standard
 * input/output it spawns the shaded jar's {@code canary-judge mcp}; over Streamable HTTP it talks to a
 * real {@link JudgeServer} on a free port with a bearer token. Its script (client.mjs) lists the
 * tools and resources, times {@code tools/list} and {@code judge} once warm, judges a request with a
 * rollout, sends invalid arguments and reads the rollout back; the SDK checks every structured result
 * against the tool's output schema on its side. The answers are checked here against the judge run
 * directly and against openapi.json.
 */
@Tag("node")
class McpClientIT {

    private static final Path CLIENT = Path.of("src", "test", "mcp-client");
    private static final Path JAR = Path.of("target", "canary-judge.jar");
    /** The Agents target: warm tools/list and judge calls answer within this over stdio. */
    private static final double TARGET_MS = 50;
    private static final String CONFIG = "configs:\n  checkout-errors:\n    metrics:\n      - name: error_rate\n"
        + "        type: rate\n        direction: increase\n        hold: {absolute: 0.005}\n        rollback: {absolute: 0.02}\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void installTheClient() throws IOException, InterruptedException {
        if (!Files.isRegularFile(CLIENT.resolve("node_modules").resolve(".package-lock.json"))) {
            Result r = run(CLIENT, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertEquals(0, r.status(), "npm ci in " + CLIENT + ": " + r.err());
        }
    }

    @Test
    void theTypeScriptClientJudgesOverStandardInputAndOutputWithinTheTarget() throws Exception {
        Path config = Files.writeString(dir.resolve("judge.yaml"), CONFIG);
        Path request = request("mcp-stdio/checkout/7f9c");
        Result r = run(Path.of("."), List.of("node", CLIENT.resolve("client.mjs").toString(), "--request", request.toString(),
            "stdio", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "mcp",
            "--config", config.toString(), "--store", "jdbc:sqlite:" + dir.resolve("rollouts.db"), "--fixtures", "../fixtures"), 180);
        assertEquals(0, r.status(), r.err());
        JsonNode report = TestRequests.MAPPER.readTree(r.out());
        checkAnswers(report, request, "mcp-stdio/checkout/7f9c");

        List<String> resources = new ArrayList<>();
        report.get("resources").forEach(res -> resources.add(res.get("uri").asText()));
        assertTrue(resources.contains("canary-judge://configurations/checkout-errors"), resources.toString());
        assertTrue(resources.contains("canary-judge://fixtures/crash-loop"), resources.toString());
        assertFalse(report.at("/firstResource/contents/0/text").asText().isEmpty(), report.get("firstResource").toString());

        double[] list = millis(report.at("/timings/toolsListMs"));
        double[] judge = millis(report.at("/timings/judgeMs"));
        printTimings("stdio", report);
        assertTrue(quantile(list, 0.9) < TARGET_MS, "tools/list, warm: " + Arrays.toString(list));
        assertTrue(quantile(judge, 0.9) < TARGET_MS, "judge, warm: " + Arrays.toString(judge));
    }

    @Test
    void theTypeScriptClientJudgesOverStreamableHttpWithTheBearerToken() throws Exception {
        Path request = request("mcp-http/checkout/7f9c");
        try (RolloutStore store = Stores.open("jdbc:sqlite:" + dir.resolve("rollouts.db"))) {
            JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withToken("s3cret-token"),
                line -> { }, store);
            try {
                String url = server.uri() + "/mcp";
                Result r = run(Path.of("."), List.of("node", CLIENT.resolve("client.mjs").toString(), "--request", request.toString(),
                    "http", url, "s3cret-token"), 120);
                assertEquals(0, r.status(), r.err());
                JsonNode report = TestRequests.MAPPER.readTree(r.out());
                checkAnswers(report, request, "mcp-http/checkout/7f9c");
                printTimings("Streamable HTTP", report);
                assertEquals(1, store.rollout("mcp-http/checkout/7f9c").orElseThrow().looks().size(),
                    "the judge tool recorded the look in the server's store");

                Result refused = run(Path.of("."), List.of("node", CLIENT.resolve("client.mjs").toString(), "--request",
                    request.toString(), "http", url, "not-the-token"), 120);
                assertNotEquals(0, refused.status(), "a wrong token is refused: " + refused.out());
                Client.Response anonymous = new Client(server.uri()).post("/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
                assertEquals(401, anonymous.status(), anonymous.body());
                assertEquals("urn:canary-judge:problem:unauthorized", anonymous.json().get("type").asText());
            } finally {
                server.stop();
            }
        }
    }

    /** The SDK's Java client over stdio: a reviewer's token file binds the local session to that reviewer. */
    @Test
    void aReviewersTokenBindsTheStdioSessionToTheReviewer() throws Exception {
        Path reviewers = Files.writeString(dir.resolve("reviewers.txt"), "alice:alice-token-0123456789\nbob:bob-token-0123456789\n");
        Path token = Files.writeString(dir.resolve("bob.token"), "bob-token-0123456789\n");
        var parameters = io.modelcontextprotocol.client.transport.ServerParameters
            .builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args("-jar", JAR.toString(), "mcp", "--store", "jdbc:sqlite:" + dir.resolve("rollouts.db"), "--reviewers",
                reviewers.toString(), "--reviewer-token-file", token.toString()).build();
        var transport = new io.modelcontextprotocol.client.transport.StdioClientTransport(parameters,
            new io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper(TestRequests.MAPPER));
        try (var client = io.modelcontextprotocol.client.McpClient.sync(transport)
                .jsonSchemaValidator(new org.canaryjudge.server.mcp.OutputSchemaValidator()).build()) {
            client.initialize();
            assertEquals(List.of("judge", "plan_stage", "list_rollouts", "get_rollout", "record_decision"),
                client.listTools().tools().stream().map(io.modelcontextprotocol.spec.McpSchema.Tool::name).toList());
            ObjectNode request = (ObjectNode) TestRequests.MAPPER.readTree(TestRequests.example());
            request.putObject("rollout").put("id", "local/checkout/1").put("stage", "25%");
            assertFalse(client.callTool(new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("judge",
                TestRequests.MAPPER.convertValue(request, Map.class))).isError());
            var decided = client.callTool(new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("record_decision",
                Map.of("id", "local/checkout/1", "decision", "hold", "comment", "waiting for the batch jobs")));
            assertFalse(decided.isError(), decided.toString());
            assertEquals("bob", ((Map<?, ?>) decided.structuredContent()).get("by"), "the name is the one the token is bob's");
        }

        Path stranger = Files.writeString(dir.resolve("stranger.token"), "nobodys-token-0123456789");
        Result refused = run(Path.of("."), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            JAR.toString(), "mcp", "--store", "none", "--reviewers", reviewers.toString(), "--reviewer-token-file", stranger.toString()), 60);
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().contains("the reviewer's token is none of the tokens in"), refused.err());
        assertEquals("", refused.out(), "nothing but protocol messages on standard output");
    }

    /** The answers of one run of client.mjs, checked against the judge itself and against openapi.json. */
    private static void checkAnswers(JsonNode report, Path requestFile, String rollout) throws IOException {
        assertEquals("canary-judge", report.at("/server/name").asText());
        List<String> tools = new ArrayList<>();
        report.get("tools").forEach(t -> tools.add(t.get("name").asText()));
        assertEquals(List.of("judge", "plan_stage", "list_rollouts", "get_rollout"), tools, "no record_decision without a reviewer");

        JsonNode judgeTool = report.get("tools").get(0);
        assertFalse(judgeTool.get("inputSchema").toString().contains("$ref"), "self-contained input schema");
        assertEquals(fieldNames(openApi().at("/components/schemas/JudgeRequest/properties")),
            fieldNames(judgeTool.at("/inputSchema/properties")), "the judge tool takes a POST /judge request");
        assertEquals(fieldNames(openApi().at("/components/schemas/Judgement/properties")),
            fieldNames(judgeTool.at("/outputSchema/properties")), "and gives its judgement");

        byte[] body = Files.readAllBytes(requestFile);
        ObjectNode withoutRollout = (ObjectNode) TestRequests.MAPPER.readTree(body);
        withoutRollout.remove("rollout");
        Judgement direct = new JsonJudge(new RequestReader()).judge(TestRequests.MAPPER.writeValueAsBytes(withoutRollout));
        JsonNode judged = report.get("judge");
        assertFalse(judged.path("isError").asBoolean(), judged.toString());
        JsonNode structured = judged.get("structuredContent");
        assertEquals(direct.verdict().name().toLowerCase(), structured.get("verdict").asText());
        assertEquals(direct.reason(), structured.get("reason").asText());
        assertEquals(rollout, structured.at("/rollout/id").asText());
        assertEquals(1, structured.at("/rollout/look").asInt(), "the look was recorded");
        assertTrue(OpenApiSchemas.validate("Judgement", structured).isEmpty(), OpenApiSchemas.validate("Judgement", structured).toString());
        assertEquals(direct.verdict().name().toLowerCase() + ": " + direct.reason() + " (rollout " + rollout + ", stage 5%)",
            judged.at("/content/0/text").asText(), "the plain-language reason as text");

        JsonNode plan = report.get("plan");
        assertFalse(plan.path("isError").asBoolean(), plan.toString());
        assertTrue(OpenApiSchemas.validate("StagePlan", plan.get("structuredContent")).isEmpty(), plan.toString());
        assertTrue(plan.at("/structuredContent/minutesToPromote").isNumber(), plan.toString());
        assertEquals(plan.at("/structuredContent/reason").asText(), plan.at("/content/0/text").asText());

        JsonNode invalid = report.get("invalid");
        assertTrue(invalid.get("isError").asBoolean(), invalid.toString());
        String problems = invalid.at("/content/0/text").asText();
        for (String pointer : List.of("/confidence: ", "/metrics/0/name: ", "/metrics/0/baseline: ", "/metrics/0/canary: ")) {
            assertTrue(problems.contains("\n" + pointer), "every problem at its JSON Pointer, " + pointer + " among them: " + problems);
        }
        assertFalse(problems.contains("Exception") || problems.contains("\tat "), problems);

        JsonNode listed = report.at("/listRollouts/structuredContent/rollouts");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(rollout, listed.get(0).get("id").asText());
        assertTrue(OpenApiSchemas.validate("RolloutList", report.at("/listRollouts/structuredContent")).isEmpty());
        JsonNode history = report.at("/getRollout/structuredContent");
        assertEquals(rollout, history.get("id").asText());
        assertEquals(1, history.get("looks").size());
        assertTrue(OpenApiSchemas.validate("RolloutHistory", history).isEmpty(), OpenApiSchemas.validate("RolloutHistory", history).toString());
        assertTrue(report.at("/getRollout/content/0/text").asText().contains("said " + structured.get("verdict").asText() + ": "));
        assertTrue(report.at("/unknownRollout/isError").asBoolean());
        assertTrue(report.at("/unknownRollout/content/0/text").asText().contains("no rollout \"no-such-rollout\" is remembered"));
    }

    /** The README's worked example, as an agent would send it at a look of a rollout's 5 % stage. */
    private Path request(String rollout) throws IOException {
        ObjectNode request = (ObjectNode) TestRequests.MAPPER.readTree(Path.of("..", "examples", "request.json").toFile());
        request.putObject("rollout").put("id", rollout).put("stage", "5%");
        return Files.write(dir.resolve("request.json"), TestRequests.MAPPER.writeValueAsBytes(request));
    }

    private static void printTimings(String transport, JsonNode report) {
        StringBuilder line = new StringBuilder("MCP over " + transport + ", warm, nproc " + Runtime.getRuntime().availableProcessors() + ":");
        for (String timing : List.of("toolsListMs", "toolsListSdkMs", "judgeMs")) {
            double[] ms = millis(report.at("/timings/" + timing));
            line.append(String.format(" %s median %.1f, p90 %.1f, max %.1f (%d calls);", timing, quantile(ms, 0.5),
                quantile(ms, 0.9), ms[ms.length - 1], ms.length));
        }
        System.out.println(line);
    }

    private static JsonNode openApi() throws IOException {
        try (InputStream in = JudgeServer.class.getResourceAsStream("openapi.json")) {
            return TestRequests.MAPPER.readTree(in);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static double[] millis(JsonNode array) {
        double[] ms = new double[array.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = array.get(i).asDouble();
        }
        Arrays.sort(ms);
        return ms;
    }

    /** @return the nearest-rank quantile of sorted values */
    private static double quantile(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    record Result(int status, String out, String err) {
    }

    private static Result run(Path workingDirectory, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, String.join(" ", command) + " finishes within " + timeoutSeconds + " s: " + err.join());
        String errors = err.join();
        System.err.print(errors);
        return new Result(p.exitValue(), out.join(), errors);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
