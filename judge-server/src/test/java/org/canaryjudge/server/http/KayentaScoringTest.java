package org.canaryjudge.server.http;

import static org.canaryjudge.server.http.KayentaJudgeTest.CPU;
import static org.canaryjudge.server.http.KayentaJudgeTest.ERRORS;
import static org.canaryjudge.server.http.KayentaJudgeTest.LATENCY;
import static org.canaryjudge.server.http.KayentaJudgeTest.MEMORY;
import static org.canaryjudge.server.http.KayentaJudgeTest.NODES;
import static org.canaryjudge.server.http.KayentaRequests.HEALTHY;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where Kayenta's own judge (NetflixACAJudge and its scorer) decides a case, {@code POST /kayenta/judge}
 * decides it the same way or more strictly: muted metrics, missing data, the rounding of the score,
 * and the statistics a reader of Kayenta's results expects.
 */
class KayentaScoringTest {

    static JudgeServer server;
    static Client client;

    @BeforeAll
    static void start() {
        server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false));
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static JsonNode judged(JsonNode request) {
        Client.Response r = post(client, request);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static double score(JsonNode answer) {
        return answer.path("score").path("score").asDouble();
    }

    /** Every point of one side of a pair missing, in the spellings Kayenta uses. */
    static void empty(ObjectNode request, String name, String region, String side) {
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
