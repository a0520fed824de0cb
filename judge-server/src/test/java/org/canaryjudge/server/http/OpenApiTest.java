package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes what the server really takes and gives, and docs/api.md covers it. */
class OpenApiTest {

    static JudgeServer server;
    static JudgeServer withToken;
    static Client client;
    static JsonNode document;

    @BeforeAll
    static void start() {
        server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withMaxBodyBytes(64 * 1024)
            .withConfigurations(Map.of("checkout", JudgeServerTest.checkoutConfig())));
        withToken = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withToken("t0ken"));
        client = new Client(server.uri());
        document = client.get("/openapi.json").json();
    }

    @AfterAll
    static void stop() {
        server.stop();
        withToken.stop();
    }

    static JsonNode json(String text) {
        try {
            return TestRequests.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void isAnOpenApi31DocumentOfEveryEndpoint() throws IOException {
        assertEquals("3.1.0", document.path("openapi").asText());
        List<String> paths = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(List.of("/judge", "/plan", "/kayenta/judge", "/flagger/gate/{config}", "/flagger/rollback/{config}", "/livez", "/readyz",
            "/metrics", "/openapi.json", "/rollouts", "/rollouts/{id}", "/rollouts/{id}/decisions", "/flagger/confirm", "/mcp",
            "/", "/ui", "/ui/rollouts/{id}", "/ui/rollouts/{id}/decisions", "/ui/sign-in", "/ui/sign-out"), paths);
        assertEquals(JudgeServer.ENDPOINTS.keySet(), new java.util.HashSet<>(paths));
        try (var in = JudgeServer.class.getResourceAsStream("openapi.json")) {
            assertEquals(TestRequests.MAPPER.readTree(in), document, "served as shipped");
        }
        // Every $ref resolves.
        Matcher refs = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#([^\"]+)\"").matcher(document.toString());
        while (refs.find()) {
            assertFalse(document.at(refs.group(1)).isMissingNode(), refs.group(1));
        }
    }

    @Test
    void realRequestsConformToTheRequestSchema() {
        List<JsonNode> requests = new ArrayList<>(List.of(json(TestRequests.example())));
        for (TestRequests.Flavor f : TestRequests.Flavor.values()) {
            requests.add(TestRequests.typical(42, f));
        }
        requests.add(json("{\"config\": \"checkout\", \"metrics\": [{\"name\": \"latency_p95_ms\", \"baseline\": [1, null], \"canary\": [2]}]}"));
        requests.add(json("{\"metrics\": [{\"name\": \"errors\", \"type\": \"rate\", \"critical\": true, \"hold\": {\"absolute\": 0.005},"
            + " \"rollback\": {\"ratio\": 2.0}, \"baseline\": {\"errors\": [3, 1], \"requests\": [1000, 980]},"
            + " \"canary\": {\"errors\": [0], \"requests\": [210]}}]}"));
        for (JsonNode request : requests) {
            assertEquals(Set0.EMPTY, OpenApiSchemas.validate("JudgeRequest", request), request.toString());
        }
    }

    @Test
    void kayentasRequestsConformToTheKayentaRequestSchema() {
        for (String file : List.of(KayentaRequests.HEALTHY, KayentaRequests.REGRESSING)) {
            assertEquals(Set0.EMPTY, OpenApiSchemas.validate("KayentaJudgeRequest", KayentaRequests.load(file)), file);
        }
    }

    @Test
    void theKayentaRequestSchemaRefusesWhatTheServerRefuses() {
        List<ObjectNode> bad = new ArrayList<>();
        bad.add((ObjectNode) json("{}"));
        ObjectNode typo = KayentaRequests.load(KayentaRequests.HEALTHY);
        KayentaRequests.canary(typo, "process_cpu_usage").put("critcal", true);
        bad.add(typo);
        ObjectNode cles = KayentaRequests.load(KayentaRequests.HEALTHY);
        ((ObjectNode) KayentaRequests.canary(cles, "process_cpu_usage").path("effectSize")).put("measure", "cles");
        bad.add(cles);
        ObjectNode mode = KayentaRequests.load(KayentaRequests.HEALTHY);
        ((ObjectNode) mode.path("canaryConfig").path("judge").path("judgeConfigurations")).put("mode", "bayesian");
        bad.add(mode);
        ObjectNode value = KayentaRequests.load(KayentaRequests.HEALTHY);
        ((com.fasterxml.jackson.databind.node.ArrayNode) KayentaRequests.pair(value, "process_cpu_usage", null)
            .path("values").path("control")).set(0, json("\"Infinity\""));
        bad.add(value);
        ObjectNode noGroups = KayentaRequests.load(KayentaRequests.HEALTHY);
        KayentaRequests.config(noGroups, "process_cpu_usage").putArray("groups");
        bad.add(noGroups);
        for (ObjectNode request : bad) {
            assertFalse(OpenApiSchemas.validate("KayentaJudgeRequest", request).isEmpty(), request.toString());
            assertEquals(400, KayentaRequests.post(client, request).status(), request.toString());
        }
    }

    @Test
    void theRequestSchemaRefusesWhatTheServerRefuses() {
        for (String bad : List.of("{}", "{\"metrics\": []}", "{\"metrics\": [{\"name\": \"a\", \"baseline\": [1], \"canary\": [1], \"rollbak\": {}}]}",
            "{\"metrics\": [{\"name\": \"a\", \"hold\": {\"absolute\": 1, \"relative\": 1}, \"baseline\": [1], \"canary\": [1]}]}",
            "{\"metrics\": [{\"name\": \"a\", \"hold\": {\"ratio\": 0.5}, \"baseline\": [1], \"canary\": [1]}]}",
            "{\"mode\": \"bayesian\", \"metrics\": [{\"name\": \"a\", \"baseline\": [1], \"canary\": [1]}]}",
            "{\"metrics\": [{\"name\": \"a\", \"baseline\": [\"1\"], \"canary\": [1]}]}")) {
            assertFalse(OpenApiSchemas.validate("JudgeRequest", json(bad)).isEmpty(), bad);
            assertEquals(400, client.postJson(bad).status(), bad);
        }
    }

    /** docs/contract.md's request: sequential mode, a continuous and a rate metric. */
    static final String CONTRACT_EXAMPLE = "{\"id\": \"checkout-v42-look-3\", \"mode\": \"sequential\", \"confidence\": 0.95,"
        + " \"metrics\": [{\"name\": \"latency_p99_ms\", \"direction\": \"increase\", \"hold\": {\"relative\": 0.10},"
        + " \"rollback\": {\"relative\": 0.50}, \"baseline\": [120.1, 118.3, null, 121.0], \"canary\": [125.0, 119.9, 122.4, 180.2]},"
        + " {\"name\": \"error_rate\", \"type\": \"rate\", \"critical\": true, \"hold\": {\"absolute\": 0.005},"
        + " \"rollback\": {\"ratio\": 2.0}, \"baseline\": {\"errors\": [3, 1, 2], \"requests\": [10000, 9800, 10100]},"
        + " \"canary\": {\"errors\": [0, 1, 0], \"requests\": [210, 190, 205]}}]}";

    @Test
    void realResponsesConformToTheDocument() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        List<Object[]> calls = List.of(
            new Object[] {"POST", "/judge", client.postJson(TestRequests.example())},
            new Object[] {"POST", "/judge", client.postJson(TestRequests.typical(1, TestRequests.Flavor.PROMOTE).toString())},
            new Object[] {"POST", "/judge", client.postJson(TestRequests.typical(1, TestRequests.Flavor.ROLLBACK).toString())},
            new Object[] {"POST", "/judge", client.postJson(CONTRACT_EXAMPLE)},
            new Object[] {"POST", "/judge", client.postJson(CONTRACT_EXAMPLE.replace("[210, 190, 205]", "[21000, 19000, 20500]"))},
            new Object[] {"POST", "/judge", client.postJson("{\"metrics\": [{\"name\": 1}], \"extra\": true}")},
            new Object[] {"POST", "/judge", client.postJson("not json")},
            new Object[] {"POST", "/judge", client.post("/judge", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/csv"))},
            new Object[] {"POST", "/judge", new Client(withToken.uri()).postJson(TestRequests.example())},
            new Object[] {"POST", "/judge", client.get("/judge")}, // a 405 is listed under the operation the path has
            new Object[] {"POST", "/kayenta/judge", KayentaRequests.post(client, KayentaRequests.load(KayentaRequests.HEALTHY))},
            new Object[] {"POST", "/kayenta/judge", KayentaRequests.post(client, KayentaRequests.load(KayentaRequests.REGRESSING))},
            new Object[] {"POST", "/kayenta/judge", KayentaRequests.post(client, kayentaWithoutData())},
            new Object[] {"POST", "/kayenta/judge", KayentaRequests.post(client, json("{\"canaryConfig\": 1}"))},
            new Object[] {"POST", "/judge", client.postHeadOnly("/judge", 65 * 1024)},
            new Object[] {"POST", "/kayenta/judge", client.postHeadOnly("/kayenta/judge", 65 * 1024)},
            new Object[] {"POST", "/kayenta/judge", client.post("/kayenta/judge", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/csv"))},
            new Object[] {"POST", "/kayenta/judge", KayentaRequests.post(new Client(withToken.uri()), KayentaRequests.load(KayentaRequests.HEALTHY))},
            new Object[] {"POST", "/kayenta/judge", client.get("/kayenta/judge")},
            new Object[] {"GET", "/livez", client.get("/livez")},
            new Object[] {"GET", "/readyz", client.get("/readyz")},
            new Object[] {"GET", "/metrics", client.get("/metrics")},
            new Object[] {"GET", "/openapi.json", client.get("/openapi.json")});
        java.util.Set<Integer> statuses = new java.util.TreeSet<>();
        for (Object[] call : calls) {
            Client.Response r = (Client.Response) call[2];
            statuses.add(r.status());
            assertEquals(Set0.EMPTY, OpenApiSchemas.validateResponse(document, (String) call[0], (String) call[1], r),
                call[0] + " " + call[1] + " " + r.status() + ": " + r.body());
        }
        assertEquals(java.util.Set.of(200, 400, 401, 405, 413, 415), statuses);
        Client.Response notFound = client.get("/nope");
        assertEquals(Set0.EMPTY, OpenApiSchemas.at("/components/responses/NotFound/content/application~1problem+json/schema")
            .validate(notFound.json()));
    }

    /** The healthy request with no canary data for the heap, which must have data: Nodata, a critical failure. */
    private static ObjectNode kayentaWithoutData() {
        ObjectNode request = KayentaRequests.load(KayentaRequests.HEALTHY);
        KayentaRequests.canary(request, "jvm_memory_used_bytes").put("mustHaveData", true);
        ((ObjectNode) KayentaRequests.pair(request, "jvm_memory_used_bytes", null).path("values")).putArray("experiment");
        return request;
    }

    @Test
    void docsApiMdCoversEveryPathStatusProblemTypeAndSchemaField() throws IOException {
        String api = Files.readString(Path.of("..", "docs", "api.md"), StandardCharsets.UTF_8);
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            assertTrue(api.contains(path), "docs/api.md mentions " + path);
            for (Iterator<String> methods = document.path("paths").path(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                assertTrue(api.contains(method + " " + path), "docs/api.md mentions " + method + " " + path);
                for (Iterator<String> codes = document.path("paths").path(path).path(method.toLowerCase()).path("responses").fieldNames();
                     codes.hasNext(); ) {
                    String code = codes.next();
                    assertTrue(api.contains(code), "docs/api.md mentions status " + code);
                }
            }
        }
        for (String slug : List.of("invalid-request", "unauthorized", "not-found", "method-not-allowed", "body-too-large",
            "unsupported-media-type", "internal-error", "unavailable")) {
            assertTrue(api.contains(Problem.TYPE_PREFIX + slug), "docs/api.md lists the problem type " + slug);
        }
        ObjectNode metric = (ObjectNode) document.at("/components/schemas/Metric/properties");
        metric.fieldNames().forEachRemaining(f -> assertTrue(api.contains("`" + f + "`"), "docs/api.md describes the field " + f));
    }

    /** An empty set of validation messages, for assertEquals's message on failure. */
    private static final class Set0 {
        static final java.util.Set<Object> EMPTY = java.util.Set.of();
    }
}
