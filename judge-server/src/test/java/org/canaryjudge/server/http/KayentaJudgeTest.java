package org.canaryjudge.server.http;

import static org.canaryjudge.server.http.JudgeServerTest.assertProblem;
import static org.canaryjudge.server.http.JudgeServerTest.pointers;
import static org.canaryjudge.server.http.KayentaRequests.HEALTHY;
import static org.canaryjudge.server.http.KayentaRequests.REGRESSING;
import static org.canaryjudge.server.http.KayentaRequests.canary;
import static org.canaryjudge.server.http.KayentaRequests.group;
import static org.canaryjudge.server.http.KayentaRequests.load;
import static org.canaryjudge.server.http.KayentaRequests.pair;
import static org.canaryjudge.server.http.KayentaRequests.post;
import static org.canaryjudge.server.http.KayentaRequests.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /kayenta/judge} against a real server on a free port, with request bodies shaped like
 * the ones Kayenta's remote judge posts ({@link KayentaRequests}).
 */
class KayentaJudgeTest extends DefaultServerTest {

    static final String LATENCY = "http_server_requests_p99_seconds";
    static final String ERRORS = "http_server_errors_per_second";
    static final String CPU = "process_cpu_usage";
    static final String MEMORY = "jvm_memory_used_bytes";
    static final String SUCCESS = "http_success_ratio";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;




    static JsonNode judged(JsonNode request) {
        Client.Response r = post(client, request);
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.contentType());
        return r.json();
    }

    @Test
    void aHealthyCanaryPassesEveryMetricAndScores100() {
        ObjectNode request = load(HEALTHY);
        JsonNode answer = judged(request);
        assertEquals("CanaryJudge-v1.0", answer.path("judgeName").asText());
        assertEquals(5, answer.path("results").size(), "one result per metric set pair");
        for (JsonNode r : answer.path("results")) {
            assertEquals("Pass", r.path("classification").asText(), r.toString());
            assertFalse(r.path("critical").asBoolean(), r.toString());
            assertEquals("pass", r.path("resultMetadata").path("canaryJudge").path("outcome").asText());
            assertTrue(r.path("classificationReason").asText().contains("within"), r.toString());
        }
        assertEquals(100.0, answer.path("score").path("score").asDouble());
        assertEquals("Pass", answer.path("score").path("classification").asText());
        assertTrue(answer.path("score").path("classificationReason").asText()
            .startsWith("Canary Judge's verdict: promote (sequential mode, 95 % confidence)."), answer.path("score").toString());
        for (String g : List.of("latency", "errors", "system")) {
            assertEquals(100.0, group(answer, g).path("score").asDouble());
            assertEquals("Pass", group(answer, g).path("classification").asText());
        }
        assertEquals(List.of("latency", "errors", "system"),
            answer.path("groupScores").findValuesAsText("name"), "groups in order of first appearance");
    }

    @Test
    void eachResultEchoesItsPairAndCarriesJudgeCoresDetail() {
        ObjectNode request = load(HEALTHY);
        JsonNode answer = judged(request);
        JsonNode east = result(answer, LATENCY, "us-east-1");
        assertEquals(pair(request, LATENCY, "us-east-1").path("id").asText(), east.path("id").asText());
        assertEquals("us-east-1", east.path("tags").path("region").asText());
        assertEquals("[\"latency\"]", east.path("groups").toString());
        assertEquals(60, east.path("controlMetadata").path("stats").path("count").asInt());
        assertEquals(60, east.path("experimentMetadata").path("stats").path("count").asInt());
        JsonNode core = east.path("resultMetadata").path("canaryJudge");
        assertEquals(LATENCY + "{region=us-east-1}", core.path("name").asText(), "pairs of one metric get names of their own");
        assertEquals(east.at("/experimentMetadata/stats/mean").asDouble() / east.at("/controlMetadata/stats/mean").asDouble(),
            east.path("resultMetadata").path("ratio").asDouble(), 1e-12, "Kayenta's ratio: the mean ratio");
        assertFalse(east.path("muted").asBoolean());
        // allowedIncrease 1.1 and criticalIncrease 1.5 on a critical metric: hold +10 %, rollback +50 %.
        assertEquals(0.10, core.path("bands").path("hold").path("upper").asDouble(), 1e-12);
        assertEquals(0.50, core.path("bands").path("rollback").path("upper").asDouble(), 1e-12);
        // Five pairs share α in sequential mode.
        assertEquals(0.99, core.path("effect").path("confidence").asDouble(), 1e-12);
    }

    @Test
    void aRegressionIsHighOrLowAndTheScoreIsTheWeightedShareOfPasses() {
        JsonNode answer = judged(load(REGRESSING));
        JsonNode latency = result(answer, LATENCY, null);
        assertEquals("High", latency.path("classification").asText(), latency.toString());
        assertFalse(latency.path("critical").asBoolean(), "30 % is beyond the allowed 10 % but inside the critical 50 %");
        assertTrue(latency.path("classificationReason").asText().contains("higher than baseline"), latency.toString());
        JsonNode success = result(answer, SUCCESS, null);
        assertEquals("Low", success.path("classification").asText(), success.toString());
        assertEquals("Pass", result(answer, CPU, null).path("classification").asText());
        assertEquals(0.0, group(answer, "latency").path("score").asDouble());
        assertEquals(0.0, group(answer, "availability").path("score").asDouble());
        assertEquals(100.0, group(answer, "system").path("score").asDouble());
        assertEquals("Fail", group(answer, "latency").path("classification").asText());
        assertEquals(20.0, answer.path("score").path("score").asDouble(), 1e-9, "weights 40/40/20");
        assertEquals("Fail", answer.path("score").path("classification").asText());
        String reason = answer.path("score").path("classificationReason").asText();
        assertTrue(reason.startsWith("Canary Judge's verdict: hold (fixed mode, 95 % confidence)."), reason);
        assertTrue(reason.contains(LATENCY + ": canary is"), reason);
    }

    @Test
    void scoreThresholdsDecidePassMarginalOrFail() {
        ObjectNode request = load(REGRESSING);
        for (Object[] t : List.of(new Object[] {20.0, 10.0, "Pass"}, new Object[] {50.0, 20.0, "Marginal"},
            new Object[] {50.0, 20.5, "Fail"})) {
            request.putObject("scoreThresholds").put("pass", (double) t[0]).put("marginal", (double) t[1]);
            JsonNode score = judged(request).path("score");
            assertEquals(20.0, score.path("score").asDouble(), 1e-9);
            assertEquals(t[2], score.path("classification").asText(), request.path("scoreThresholds").toString());
        }
        request.remove("scoreThresholds");
        ((ObjectNode) request.path("canaryConfig").path("classifier")).putObject("scoreThresholds").put("pass", 15).put("marginal", 5);
        assertEquals("Pass", judged(request).path("score").path("classification").asText(),
            "without the request's thresholds, the classifier's are used");
    }

    @Test
    void aCriticalMetricBeyondItsCriticalBandFailsTheWholeAnalysis() {
        ObjectNode request = load(HEALTHY);
        KayentaRequests.scale(pair(request, LATENCY, "us-west-2"), "experiment", v -> v * 2);
        JsonNode answer = judged(request);
        JsonNode west = result(answer, LATENCY, "us-west-2");
        assertEquals("High", west.path("classification").asText());
        assertTrue(west.path("critical").asBoolean(), west.toString());
        assertTrue(west.path("classificationReason").asText().contains("A critical failure"), west.toString());
        assertEquals("Pass", result(answer, LATENCY, "us-east-1").path("classification").asText());
        assertEquals(50.0, group(answer, "latency").path("score").asDouble());
        assertEquals(0.0, answer.path("score").path("score").asDouble(), "a critical failure zeroes the score");
        assertEquals("Fail", answer.path("score").path("classification").asText());
        assertTrue(answer.path("score").path("classificationReason").asText()
            .startsWith("Critical failure of " + LATENCY + "{region=us-west-2}: the score is 0."), answer.path("score").toString());
    }

    @Test
    void withoutACriticalMultiplierEveryBreachOfACriticalMetricIsCritical() {
        ObjectNode request = load(HEALTHY);
        KayentaRequests.scale(pair(request, LATENCY, "us-west-2"), "experiment", v -> v * 1.3);
        assertFalse(result(judged(request), LATENCY, "us-west-2").path("critical").asBoolean(),
            "30 % is inside criticalIncrease 1.5");
        ((ObjectNode) canary(request, LATENCY).path("effectSize")).remove("criticalIncrease");
        JsonNode answer = judged(request);
        assertEquals("High", result(answer, LATENCY, "us-west-2").path("classification").asText());
        assertTrue(result(answer, LATENCY, "us-west-2").path("critical").asBoolean());
        assertEquals(0.0, answer.path("score").path("score").asDouble());
        canary(request, LATENCY).put("critical", false);
        answer = judged(request);
        assertFalse(result(answer, LATENCY, "us-west-2").path("critical").asBoolean(), "a metric that is not critical");
        assertEquals(75.0, answer.path("score").path("score").asDouble(), 1e-9, "latency 50 % of weight 50, the rest pass");
    }

    @Test
    void aDropOnAnEitherMetricIsLow() {
        ObjectNode request = load(HEALTHY);
        KayentaRequests.scale(pair(request, CPU, null), "experiment", v -> v * 0.6);
        JsonNode answer = judged(request);
        assertEquals("Low", result(answer, CPU, null).path("classification").asText());
        assertEquals(50.0, group(answer, "system").path("score").asDouble());
        assertEquals(90.0, answer.path("score").path("score").asDouble(), 1e-9);
        assertEquals("Marginal", answer.path("score").path("classification").asText());
    }

    @Test
    void noDataIsNodataAndNotAPassAndFailsTheAnalysisWhenTheMetricMustHaveData() {
        ObjectNode request = load(HEALTHY);
        ArrayNode experiment = (ArrayNode) pair(request, MEMORY, null).path("values").path("experiment");
        for (int i = 0; i < experiment.size(); i++) {
            experiment.set(i, i % 2 == 0 ? NODES.nullNode() : NODES.textNode("NaN"));
        }
        JsonNode answer = judged(request);
        JsonNode memory = result(answer, MEMORY, null);
        assertEquals("Nodata", memory.path("classification").asText());
        assertFalse(memory.path("critical").asBoolean());
        assertTrue(memory.path("classificationReason").asText().startsWith("No data, so not a pass: no canary data"), memory.toString());
        assertEquals(0, memory.path("experimentMetadata").path("stats").path("count").asInt());
        assertEquals(50.0, group(answer, "system").path("score").asDouble(), "Nodata counts against its group");
        assertEquals(90.0, answer.path("score").path("score").asDouble(), 1e-9);

        canary(request, MEMORY).put("mustHaveData", true);
        answer = judged(request);
        memory = result(answer, MEMORY, null);
        assertEquals("Nodata", memory.path("classification").asText());
        assertTrue(memory.path("critical").asBoolean());
        assertTrue(memory.path("classificationReason").asText().contains("mustHaveData"), memory.toString());
        assertEquals(0.0, answer.path("score").path("score").asDouble());
        assertEquals("Fail", answer.path("score").path("classification").asText());
    }

    @Test
    void sparseDataAreInconclusiveWhichIsNodataNotAPass() {
        ObjectNode request = load(HEALTHY);
        ObjectNode cpu = pair(request, CPU, null);
        for (String side : List.of("control", "experiment")) {
            ArrayNode values = (ArrayNode) cpu.path("values").path(side);
            while (values.size() > 8) {
                values.remove(values.size() - 1);
            }
        }
        JsonNode answer = judged(request);
        JsonNode result = result(answer, CPU, null);
        assertEquals("Nodata", result.path("classification").asText(), result.toString());
        assertEquals("inconclusive", result.path("resultMetadata").path("canaryJudge").path("outcome").asText());
        assertTrue(result.path("classificationReason").asText().startsWith("Inconclusive, so not a pass: "), result.toString());
        assertFalse(result.path("critical").asBoolean());
        assertEquals(50.0, group(answer, "system").path("score").asDouble());
        assertTrue(answer.path("score").path("score").asDouble() < 100);
    }

    @Test
    void nanStrategyReplaceCountsMissingPointsAsZerosAndRemoveDropsThem() {
        ObjectNode request = load(HEALTHY);
        JsonNode values = pair(request, ERRORS, null).path("values");
        int missing = 0;
        for (JsonNode v : values.path("experiment")) {
            missing += v.isNumber() ? 0 : 1;
        }
        assertTrue(missing > 0, "the file has quiet minutes");
        JsonNode replaced = result(judged(request), ERRORS, null);
        assertEquals(60, replaced.path("experimentMetadata").path("stats").path("count").asInt());
        canary(request, ERRORS).put("nanStrategy", "remove");
        JsonNode removed = result(judged(request), ERRORS, null);
        assertEquals(60 - missing, removed.path("experimentMetadata").path("stats").path("count").asInt());
        assertTrue(removed.path("experimentMetadata").path("stats").path("mean").asDouble()
            > replaced.path("experimentMetadata").path("stats").path("mean").asDouble(), "zeros pull the mean down");
    }

    @Test
    void zerosFromNanStrategyReplaceWithARelativeBandAreJudgedAgainstTheBaselinesMeanNotAnError() {
        ObjectNode request = load(HEALTHY);
        ((ObjectNode) KayentaRequests.config(request, ERRORS).path("analysisConfigurations")).remove("canaryJudge");
        canary(request, ERRORS).putObject("effectSize").put("allowedIncrease", 2.0);
        JsonNode answer = judged(request);
        JsonNode errors = result(answer, ERRORS, null);
        assertEquals("Pass", errors.path("classification").asText(), errors.toString());
        double mean = errors.at("/controlMetadata/stats/mean").asDouble();
        JsonNode core = errors.path("resultMetadata").path("canaryJudge");
        assertEquals("absolute", core.at("/effect/scale").asText());
        assertEquals(1.0 * mean, core.at("/bands/hold/upper").asDouble(), 1e-12, "allowedIncrease 2: +100 % of the baseline's mean");
        assertTrue(errors.path("classificationReason").asText().startsWith("The data have values at or below zero (nanStrategy"
            + " replace makes a missing point 0), so the bands of effectSize apply to the baseline's mean"), errors.toString());

        scaleErrors(request, 8);
        errors = result(judged(request), ERRORS, null);
        assertEquals("High", errors.path("classification").asText(), "eight times the errors is beyond +100 %: " + errors);
    }

    private static void scaleErrors(ObjectNode request, double factor) {
        ArrayNode experiment = (ArrayNode) pair(request, ERRORS, null).path("values").path("experiment");
        for (int i = 0; i < experiment.size(); i++) {
            if (experiment.get(i).isNumber()) {
                experiment.set(i, NODES.numberNode(experiment.get(i).asDouble() * factor));
            }
        }
    }

    @Test
    void judgeConfigurationsChooseModeAndConfidence() {
        ObjectNode request = load(HEALTHY);
        ObjectNode settings = (ObjectNode) request.path("canaryConfig").path("judge").path("judgeConfigurations");
        settings.put("mode", "fixed").put("confidence", 0.9);
        JsonNode answer = judged(request);
        assertEquals(0.9, result(answer, CPU, null).path("resultMetadata").path("canaryJudge").path("effect").path("confidence").asDouble());
        assertTrue(answer.path("score").path("classificationReason").asText().contains("(fixed mode, 90 % confidence)"));
        settings.removeAll().put("defaultAllowedChange", 0.25);
        JsonNode memory = result(judged(request), MEMORY, null).path("resultMetadata").path("canaryJudge");
        assertEquals(0.25, memory.path("bands").path("hold").path("upper").asDouble(), 1e-12, "no effectSize: the default band");
    }

    /**
     * The endpoint only maps: a metric's {@code resultMetadata.canaryJudge} is exactly what
     * {@code POST /judge} answers for the specification the mapping promises.
     */
    @Test
    void theMetricIsJudgedByJudgeCoreExactlyAsPostJudgeWouldJudgeIt() {
        ObjectNode request = load(HEALTHY);
        ObjectNode memory = pair(request, MEMORY, null);
        request.set("metricSetPairList", NODES.arrayNode().add(memory));
        ArrayNode configs = (ArrayNode) request.path("canaryConfig").path("metrics");
        configs.removeAll().add(KayentaRequests.config(load(HEALTHY), MEMORY));
        KayentaRequests.scale(memory, "experiment", v -> v * 1.08);
        JsonNode kayenta = result(judged(request), MEMORY, null).path("resultMetadata").path("canaryJudge");

        ObjectNode judge = NODES.objectNode().put("mode", "sequential").put("confidence", 0.95);
        ObjectNode metric = judge.putArray("metrics").addObject().put("name", MEMORY).put("direction", "increase");
        metric.putObject("hold").put("relative", 0.10);
        metric.set("baseline", missingAsNull(memory.path("values").path("control")));
        metric.set("canary", missingAsNull(memory.path("values").path("experiment")));
        Client.Response r = client.postJson(judge.toString());
        assertEquals(200, r.status(), r.body());
        assertEquals(r.json().path("metrics").get(0), kayenta);
    }

    private static ArrayNode missingAsNull(JsonNode values) {
        ArrayNode out = NODES.arrayNode();
        values.forEach(v -> out.add(v.isNumber() ? v : NODES.nullNode()));
        return out;
    }

    @Test
    void missingPointsMayBeNullOrNaNInEveryKayentaSpelling() {
        String body = load(HEALTHY).toString();
        String first = "[" + pair(load(HEALTHY), CPU, null).path("values").path("control").get(0).asText();
        assertTrue(body.contains(first));
        for (String missing : List.of("null", "\"NaN\"", "NaN")) {
            Client.Response r = client.post("/kayenta/judge", body.replace(first, "[" + missing).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertEquals(200, r.status(), missing + ": " + r.body());
            assertEquals(59, result(r.json(), CPU, null).path("controlMetadata").path("stats").path("count").asInt(), missing);
        }
        for (String bad : List.of("Infinity", "\"Infinity\"", "\"1.5\"", "true")) {
            Client.Response r = client.post("/kayenta/judge", body.replace(first, "[" + bad).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertProblem(r, 400, "invalid-request");
            assertEquals(List.of("/metricSetPairList/3/values/control/0"), pointers(r), bad);
        }
    }

    @Test
    void anInvalidRequestIsAProblemListingEveryViolationAtItsPointer() {
        ObjectNode request = load(HEALTHY);
        canary(request, LATENCY).put("direction", "upward");
        ((ObjectNode) canary(request, CPU).path("effectSize")).put("allowedIncrease", 0.9).put("measure", "cles");
        canary(request, MEMORY).put("criticallity", true);
        KayentaRequests.config(request, ERRORS).putArray("groups");
        ((ObjectNode) request.path("canaryConfig").path("judge").path("judgeConfigurations")).put("mode", "bayesian");
        ((ObjectNode) request.path("scoreThresholds")).put("marginal", 120);
        ObjectNode stray = pair(request, MEMORY, null).deepCopy().put("name", "jvm_threads");
        ((ArrayNode) request.path("metricSetPairList")).add(stray);
        ((ArrayNode) pair(request, LATENCY, "us-east-1").path("values").path("experiment")).set(7, NODES.textNode("slow"));

        Client.Response r = post(client, request);
        assertProblem(r, 400, "invalid-request");
        List<String> expected = List.of(
            "/canaryConfig/judge/judgeConfigurations/mode",
            "/canaryConfig/metrics/0/analysisConfigurations/canary/direction",
            "/canaryConfig/metrics/1/groups",
            "/canaryConfig/metrics/2/analysisConfigurations/canary/effectSize/measure",
            "/canaryConfig/metrics/2/analysisConfigurations/canary/effectSize/allowedIncrease",
            "/canaryConfig/metrics/3/analysisConfigurations/canary/criticallity",
            "/scoreThresholds/marginal",
            "/metricSetPairList/0/values/experiment/7",
            "/metricSetPairList/5/name");
        List<String> pointers = pointers(r);
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(pointers), r.body());
        assertTrue(r.json().path("detail").asText().startsWith(expected.size() + " problems"), r.body());
        r.json().path("errors").forEach(e -> assertFalse(e.path("message").asText().isBlank(), e.toString()));
    }

    @Test
    void structuralProblemsAreInvalidRequestsToo() {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"not json", List.of("")});
        cases.add(new Object[] {"[]", List.of("")});
        cases.add(new Object[] {"{}", List.of("/canaryConfig", "/scoreThresholds", "/metricSetPairList")});
        ObjectNode noPairs = load(HEALTHY);
        noPairs.putArray("metricSetPairList");
        cases.add(new Object[] {noPairs.toString(), List.of("/metricSetPairList")});
        ObjectNode missingPair = load(HEALTHY);
        ((ArrayNode) missingPair.path("metricSetPairList")).remove(4);
        cases.add(new Object[] {missingPair.toString(), List.of("/metricSetPairList")});
        ObjectNode tightCritical = load(HEALTHY);
        ((ObjectNode) canary(tightCritical, LATENCY).path("effectSize")).put("criticalIncrease", 1.05);
        cases.add(new Object[] {tightCritical.toString(),
            List.of("/canaryConfig/metrics/0/analysisConfigurations/canary/effectSize/criticalIncrease")});
        ObjectNode badOverride = load(HEALTHY);
        ((ObjectNode) KayentaRequests.config(badOverride, ERRORS).path("analysisConfigurations").path("canaryJudge"))
            .put("correlation", "sometimes").putObject("hold").put("absolute", -1);
        cases.add(new Object[] {badOverride.toString(), List.of(
            "/canaryConfig/metrics/1/analysisConfigurations/canaryJudge/hold/absolute",
            "/canaryConfig/metrics/1/analysisConfigurations/canaryJudge/correlation")});
        ObjectNode weights = load(HEALTHY);
        ((ObjectNode) weights.path("canaryConfig").path("classifier").path("groupWeights")).remove("system");
        ((ObjectNode) weights.path("canaryConfig").path("classifier").path("groupWeights")).put("errors", 50);
        cases.add(new Object[] {weights.toString(), List.of("/canaryConfig/classifier/groupWeights")});
        for (Object[] c : cases) {
            Client.Response r = client.post("/kayenta/judge", ((String) c[0]).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertProblem(r, 400, "invalid-request");
            assertEquals(new java.util.TreeSet<>((List<?>) c[1]), new java.util.TreeSet<>(pointers(r)), r.body());
        }
    }

    @Test
    void unknownFieldsOfKayentasOwnObjectsAreIgnored() {
        ObjectNode request = load(HEALTHY);
        request.put("executionId", "01HX");
        ((ObjectNode) request.path("canaryConfig")).put("isNew", false);
        pair(request, CPU, null).putObject("scopes").put("somethingNew", 1);
        KayentaRequests.config(request, CPU).put("isNew", false);
        assertEquals("Pass", judged(request).path("score").path("classification").asText());
    }

    @Test
    void groupWeightsNeedNotTotal100AndAGroupWithoutWeightSharesTheRest() {
        ObjectNode request = load(REGRESSING);
        ObjectNode weights = (ObjectNode) request.path("canaryConfig").path("classifier").path("groupWeights");
        weights.removeAll().put("latency", 1).put("availability", 1).put("system", 2);
        assertEquals(50.0, judged(request).path("score").path("score").asDouble(), 1e-9, "system has half the weight");
        weights.removeAll().put("latency", 40).put("availability", 40);
        assertEquals(20.0, judged(request).path("score").path("score").asDouble(), 1e-9, "system shares the remaining 20");
    }

    @Test
    void theEndpointHasPostJudgesChecksAndMetrics() {
        byte[] body = load(HEALTHY).toString().getBytes(StandardCharsets.UTF_8);
        assertProblem(client.post("/kayenta/judge", body, Map.of("Content-Type", "text/plain")), 415, "unsupported-media-type");
        Client.Response r = client.get("/kayenta/judge");
        assertProblem(r, 405, "method-not-allowed");
        assertEquals("POST", r.header("Allow"));
        post(client, load(REGRESSING));
        String metrics = client.get("/metrics").body();
        assertTrue(metrics.contains("canary_judge_http_requests_total{endpoint=\"/kayenta/judge\",method=\"POST\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("canary_judge_http_requests_total{endpoint=\"/kayenta/judge\",method=\"POST\",status=\"415\"}"), metrics);
        assertFalse(metrics.contains("canary_judge_verdicts_total{verdict=\"hold\"} 0.0"), "the regression's hold is counted");

        try (JudgeServer small = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withMaxBodyBytes(4096));
             JudgeServer locked = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false).withToken("k4yenta"))) {
            assertProblem(new Client(small.uri()).post("/kayenta/judge", body, Map.of("Content-Type", "application/json")),
                413, "body-too-large");
            Client lockedClient = new Client(locked.uri());
            assertProblem(lockedClient.post("/kayenta/judge", body, Map.of("Content-Type", "application/json")), 401, "unauthorized");
            assertEquals(200, lockedClient.post("/kayenta/judge", body,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer k4yenta")).status());
        }
    }

    /**
     * Where Kayenta's own judge (NetflixACAJudge and its scorer) decides a case, this endpoint decides
     * it the same way or more strictly: muted metrics, missing data, the rounding of the score, and the
     * statistics a reader of Kayenta's results expects.
     */
    @Nested
    class AsKayentasOwnJudgeDecides {

        double score(JsonNode answer) {
            return answer.path("score").path("score").asDouble();
        }

        /** Every point of one side of a pair missing, in the spellings Kayenta uses. */
        void empty(ObjectNode request, String name, String region, String side) {
            ArrayNode values = (ArrayNode) pair(request, name, region).path("values").path(side);
            for (int i = 0; i < values.size(); i++) {
                values.set(i, i % 2 == 0 ? NODES.textNode("NaN") : NODES.nullNode());
            }
        }

        @Test
        void aMutedMetricIsJudgedAndReportedButLeftOutOfEveryScore() {
            ObjectNode request = load(HEALTHY);
            KayentaRequests.scale(pair(request, MEMORY, null), "experiment", v -> v * 1.5);
            JsonNode unmuted = judged(request);
            assertEquals("High", result(unmuted, MEMORY, null).path("classification").asText());
            assertEquals(50.0, group(unmuted, "system").path("score").asDouble());
            assertEquals(90.0, score(unmuted), 1e-9);

            canary(request, MEMORY).put("muted", true);
            JsonNode answer = judged(request);
            JsonNode memory = result(answer, MEMORY, null);
            assertTrue(memory.path("muted").asBoolean(), memory.toString());
            assertEquals("High", memory.path("classification").asText(), "still judged and reported");
            assertEquals(100.0, group(answer, "system").path("score").asDouble(), "only the CPU counts in system");
            assertEquals(100.0, score(answer), 1e-9);
            assertEquals("Pass", answer.path("score").path("classification").asText());
            String reason = answer.path("score").path("classificationReason").asText();
            assertTrue(reason.startsWith("Canary Judge's verdict: promote"), reason);
            assertTrue(reason.endsWith("Muted, so not scored: " + MEMORY + "."), reason);
            for (JsonNode r : answer.path("results")) {
                assertEquals(r.path("name").asText().equals(MEMORY), r.path("muted").asBoolean(), r.path("name").asText());
            }
            // Four metrics share α, as if the muted one were not there: 1 - 0.05 / 4.
            assertEquals(0.9875, result(answer, CPU, null).at("/resultMetadata/canaryJudge/effect/confidence").asDouble(), 1e-12);
        }

        @Test
        void aMutedCriticalFailureDoesNotZeroTheScoreAndAMutedGroupGetsNoWeight() {
            ObjectNode request = load(HEALTHY);
            KayentaRequests.scale(pair(request, ERRORS, null), "experiment", v -> v * 10);
            canary(request, ERRORS).put("critical", true);
            assertEquals(0.0, score(judged(request)), "unmuted, the critical failure zeroes the score");
            canary(request, ERRORS).put("muted", true);
            JsonNode answer = judged(request);
            assertTrue(result(answer, ERRORS, null).path("critical").asBoolean(), "reported as Kayenta reports it");
            assertTrue(result(answer, ERRORS, null).path("classificationReason").asText().endsWith("(It is muted, so this does not count.)"));
            assertEquals(List.of("latency", "system"), answer.path("groupScores").findValuesAsText("name"),
                "the errors group has only the muted metric, so it has no score");
            assertEquals(100.0, score(answer), 1e-9, "latency and system share the weight");
        }

        @Test
        void everyMetricMutedScoresZeroAsKayentasScorerDoes() {
            ObjectNode request = load(HEALTHY);
            for (String name : List.of(LATENCY, ERRORS, CPU, MEMORY)) {
                canary(request, name).put("muted", true);
            }
            JsonNode answer = judged(request);
            assertEquals(0.0, score(answer));
            assertEquals("Fail", answer.path("score").path("classification").asText());
            assertEquals(0, answer.path("groupScores").size());
            assertTrue(answer.path("score").path("classificationReason").asText().startsWith("Every metric is muted"));
            assertEquals(5, answer.path("results").size(), "every result is still reported");
        }

        @Test
        void aCriticalMetricWithoutDataFailsTheWholeAnalysisAsInKayenta() {
            ObjectNode request = load(HEALTHY);
            canary(request, LATENCY).put("mustHaveData", false);
            empty(request, LATENCY, "us-west-2", "experiment");
            JsonNode answer = judged(request);
            JsonNode west = result(answer, LATENCY, "us-west-2");
            assertEquals("Nodata", west.path("classification").asText());
            assertTrue(west.path("critical").asBoolean(), west.toString());
            assertTrue(west.path("classificationReason").asText().contains("The metric is critical, so the whole analysis fails."),
                west.toString());
            assertEquals(0.0, score(answer));
            assertEquals(1.0, west.at("/resultMetadata/ratio").asDouble(), "Kayenta's ratio without data");
            assertEquals(0, west.at("/experimentMetadata/stats/count").asInt());
            assertEquals(0.0, west.at("/experimentMetadata/stats/mean").asDouble(), "Kayenta writes 0 for a side without points");
        }

        @Test
        void aCriticalMetricThatIsOnlyInconclusiveLowersTheScoreWithoutEndingTheAnalysis() {
            ObjectNode request = load(HEALTHY);
            for (String side : List.of("control", "experiment")) {
                ArrayNode values = (ArrayNode) pair(request, LATENCY, "us-west-2").path("values").path(side);
                while (values.size() > 8) {
                    values.remove(values.size() - 1);
                }
            }
            JsonNode answer = judged(request);
            JsonNode west = result(answer, LATENCY, "us-west-2");
            assertEquals("inconclusive", west.at("/resultMetadata/canaryJudge/outcome").asText());
            assertFalse(west.path("critical").asBoolean(), west.toString());
            assertEquals(75.0, score(answer), 1e-9, "latency 1 of 2 at weight 50");
        }

        @Test
        void mustHaveDataWithoutDataFailsTheWholeAnalysisWhichIsStricterThanKayentasNodataFailMetric() {
            ObjectNode request = load(HEALTHY);
            canary(request, CPU).put("mustHaveData", true);
            empty(request, CPU, null, "control");
            JsonNode answer = judged(request);
            JsonNode cpu = result(answer, CPU, null);
            assertEquals("Nodata", cpu.path("classification").asText());
            assertTrue(cpu.path("critical").asBoolean());
            assertEquals(0.0, score(answer));
        }

        @Test
        void halfOfTheMetricsOrMoreWithoutAVerdictScoreZeroAsInKayenta() {
            ObjectNode request = load(HEALTHY);
            empty(request, CPU, null, "experiment");
            empty(request, MEMORY, null, "experiment");
            JsonNode two = judged(request);
            assertEquals(80.0, score(two), 1e-9, "2 of 5 Nodata: the system group scores 0 of its weight 20");
            empty(request, ERRORS, null, "experiment");
            JsonNode three = judged(request);
            assertEquals("Nodata", result(three, ERRORS, null).path("classification").asText(),
                "nanStrategy replace does not turn a side without any point into zeros");
            assertEquals(0.0, score(three), "3 of 5 Nodata");
            assertTrue(three.path("score").path("classificationReason").asText()
                .startsWith("3 of 5 scored metrics are Nodata (no data or inconclusive), half or more: the score is 0"),
                three.path("score").toString());
        }

        @Test
        void theScoreIsRoundedToTwoDecimalsAsKayentaRoundsIt() {
            ObjectNode request = load(HEALTHY);
            ObjectNode weights = (ObjectNode) request.path("canaryConfig").path("classifier").path("groupWeights");
            weights.removeAll().put("latency", 1).put("errors", 1).put("system", 1);
            KayentaRequests.scale(pair(request, MEMORY, null), "experiment", v -> v * 1.5);
            JsonNode answer = judged(request);
            assertEquals(50.0, group(answer, "system").path("score").asDouble());
            assertEquals(83.33, score(answer), 0.0, "(100 + 100 + 50) / 3");
        }

        @Test
        void statsHaveKayentasKeysAndValues() {
            ObjectNode request = load(HEALTHY);
            ArrayNode control = (ArrayNode) pair(request, CPU, null).path("values").path("control");
            control.removeAll();
            for (double v : new double[] {2, 4, 4, 4, 5, 5, 7, 9, Double.NaN, 3, 1}) {
                if (Double.isNaN(v)) {
                    control.addNull();
                } else {
                    control.add(v * 0.1);
                }
            }
            JsonNode cpu = result(judged(request), CPU, null);
            JsonNode stats = cpu.at("/controlMetadata/stats");
            List<String> keys = new ArrayList<>();
            stats.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("count", "mean", "min", "std", "max"), keys);
            assertEquals(10, stats.path("count").asInt(), "the missing point is removed");
            assertEquals(0.44, stats.path("mean").asDouble(), 1e-12);
            assertEquals(0.1, stats.path("min").asDouble(), 1e-12);
            assertEquals(0.9, stats.path("max").asDouble(), 1e-12);
            // Deviations from 4.4 of the values before * 0.1 square to 48.4 in all.
            assertEquals(Math.sqrt(48.4 / 9) * 0.1, stats.path("std").asDouble(), 1e-12,
                "the sample standard deviation (n - 1), as Kayenta's StatUtils.variance");
            assertEquals(cpu.at("/experimentMetadata/stats/mean").asDouble() / 0.44, cpu.at("/resultMetadata/ratio").asDouble(), 1e-12);
        }

        @Test
        void aMeanOfZeroHasNoRatioWhereKayentasWouldBeNaN() {
            ObjectNode request = load(HEALTHY);
            ArrayNode experiment = (ArrayNode) pair(request, ERRORS, null).path("values").path("experiment");
            for (int i = 0; i < experiment.size(); i++) {
                experiment.set(i, NODES.numberNode(0.0));
            }
            JsonNode errors = result(judged(request), ERRORS, null);
            assertTrue(errors.at("/resultMetadata/ratio").isNull(), errors.toString());
            assertEquals(0.0, errors.at("/experimentMetadata/stats/std").asDouble());
        }
    }
}
