package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /plan} through a real server with a token: the planner's answer, the token rule, bad fields at their pointers. */
class PlanTest {

    static final String TOKEN = "plan-token";
    static final String RATE = "{\"metric\": {\"name\": \"error_rate\", \"type\": \"rate\", \"hold\": {\"absolute\": 0.005},"
        + " \"rollback\": {\"absolute\": 0.02}}, \"baselineRate\": 0.002, \"baselineRequestsPerMinute\": 980,"
        + " \"canaryRequestsPerMinute\": 20, \"totalRequestsPerMinute\": 1000, \"mode\": \"sequential\"}";

    static JudgeServer server;
    static Client client;
    static JsonNode document;

    @BeforeAll
    static void start() {
        server = JudgeServer.start(ServerConfig.defaults().withPort(0).withToken(TOKEN).withAccessLog(false));
        client = new Client(server.uri());
        document = client.get("/openapi.json").json();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static Client.Response plan(String body, boolean withToken) {
        Map<String, String> headers = withToken ? Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN)
            : Map.of("Content-Type", "application/json");
        return client.post("/plan", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A slow plan: a relative band on a rare error, with its wider canaries. */
    static final String SLOW = RATE.replace("\"hold\": {\"absolute\": 0.005}", "\"hold\": {\"relative\": 0.2}")
        .replace("\"rollback\": {\"absolute\": 0.02}", "\"rollback\": {\"relative\": 1.0}");

    @Test
    void plansTakeTurnsSoThatManyCannotStarveJudging() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            long one = System.nanoTime();
            assertEquals(200, plan(SLOW, true).status());
            double planSeconds = (System.nanoTime() - one) / 1e9;
            List<java.util.concurrent.Future<Client.Response>> plans = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                plans.add(pool.submit(() -> plan(SLOW, true)));
            }
            long start = System.nanoTime();
            Client.Response judged = client.post("/judge", TestRequests.example().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN));
            double judgeSeconds = (System.nanoTime() - start) / 1e9;
            int busy = 0;
            for (java.util.concurrent.Future<Client.Response> f : plans) {
                Client.Response r = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(r.status() == 200 || r.status() == 503, r.body());
                if (r.status() == 503) {
                    busy++;
                    assertEquals("5", r.header("Retry-After"));
                }
            }
            System.out.printf("PlanTest: one slow plan %.2f s; beside 12 at once a judgement took %.3f s; %d of 12 told to retry%n",
                planSeconds, judgeSeconds, busy);
            assertEquals(200, judged.status(), judged.body());
            assertTrue(judgeSeconds < Math.max(2, planSeconds), "judging waited " + judgeSeconds + " s");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRateMetricGetsTheMinutesToPromoteAndToRollBack() {
        Client.Response r = plan(RATE, true);
        assertEquals(200, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/plan", r), r.body());
        JsonNode j = r.json();
        double promote = j.path("minutesToPromote").asDouble();
        assertTrue(promote > 0 && promote < 24 * 60, r.body());
        assertTrue(j.path("minutesToRollback").asDouble() > 0, r.body());
        assertEquals(0.042, j.path("regression").asDouble(), 1e-12);
        assertEquals(0.05, j.at("/alternatives/0/canaryShare").asDouble(), r.body());
        assertTrue(j.at("/alternatives/0/minutesToPromote").asDouble() < promote, r.body());
        assertTrue(j.path("reason").asText().contains("at 2 % of traffic this takes about " + Math.round(promote) + " minutes"),
            r.body());
    }

    @Test
    void withoutATotalTheWiderCanariesAreMultiplesAndNeverIsNull() {
        Client.Response r = plan(RATE.replace(", \"totalRequestsPerMinute\": 1000", "").replace("0.005", "0.0002"), true);
        assertEquals(200, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/plan", r), r.body());
        JsonNode j = r.json();
        assertTrue(j.path("minutesToPromote").isNull(), r.body());
        assertTrue(j.at("/alternatives/0/canaryShare").isNull(), r.body());
        assertEquals(40, j.at("/alternatives/0/canaryPerMinute").asDouble(), r.body());
        assertTrue(j.path("reason").asText().contains("would not pass error_rate within 24 hours"), r.body());
    }

    @Test
    void aContinuousMetricIsPlannedFromABaselineSample() {
        StringBuilder sample = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sample.append(i == 0 ? "" : ", ").append(0.2 + (i * 37 % 11) * 0.004);
        }
        Client.Response r = plan("{\"metric\": {\"name\": \"latency\", \"hold\": {\"relative\": 0.1}, \"rollback\": {\"relative\": 0.5}},"
            + " \"baselineSample\": [" + sample + "], \"baselinePointsPerMinute\": 1, \"canaryPointsPerMinute\": 1}", true);
        assertEquals(200, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/plan", r), r.body());
        assertTrue(r.json().path("minutesToPromote").asDouble() >= 10, "ten points a side are needed first: " + r.body());
    }

    @Test
    void theTokenRuleIsJudges() {
        JudgeServerTest.assertProblem(plan(RATE, false), 401, "unauthorized");
    }

    @Test
    void everyBadFieldIsReportedAtItsPointer() {
        Client.Response r = plan("{\"metric\": {\"name\": \"error_rate\", \"type\": \"rate\", \"hold\": {\"absolute\": -1},"
            + " \"baseline\": {\"errors\": [1], \"requests\": [10]}}, \"baselineRate\": 2, \"canaryRequestsPerMinute\": \"many\","
            + " \"mode\": \"eventually\", \"extra\": 1}", true);
        JudgeServerTest.assertProblem(r, 400, "invalid-request");
        List<String> pointers = JudgeServerTest.pointers(r);
        for (String p : List.of("/extra", "/mode", "/metric/hold/absolute", "/metric/baseline", "/baselineRequestsPerMinute",
            "/canaryRequestsPerMinute")) {
            assertTrue(pointers.contains(p), p + " in " + r.body());
        }
        assertFalse(r.body().contains("Exception"), r.body());
        Client.Response range = plan(RATE.replace("0.002", "1.5").replace("\"canaryRequestsPerMinute\": 20", "\"canaryRequestsPerMinute\": 0"), true);
        assertEquals(List.of("/baselineRate", "/canaryRequestsPerMinute"), JudgeServerTest.pointers(range), range.body());
        Client.Response sample = plan("{\"metric\": {\"name\": \"latency\", \"hold\": {\"relative\": 0.1}}, \"baselineSample\": \"x\","
            + " \"baselinePointsPerMinute\": 1, \"canaryPointsPerMinute\": -1, \"minutesBetweenLooks\": 2000}", true);
        assertEquals(List.of("/baselineSample", "/canaryPointsPerMinute", "/minutesBetweenLooks"),
            JudgeServerTest.pointers(sample), sample.body());
        Client.Response negative = plan("{\"metric\": {\"name\": \"latency\", \"hold\": {\"relative\": 0.1}}, \"baselineSample\":"
            + " [1, 2, 3, 4, 5, 6, 7, 8, 9, -10], \"baselinePointsPerMinute\": 1, \"canaryPointsPerMinute\": 1}", true);
        assertEquals(List.of("/baselineSample"), JudgeServerTest.pointers(negative), negative.body());
        Client.Response type = plan(RATE.replace("\"type\": \"rate\", ", ""), true);
        assertEquals(List.of("/metric/type"), JudgeServerTest.pointers(type), type.body());
    }
}
