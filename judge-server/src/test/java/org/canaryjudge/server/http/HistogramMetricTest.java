package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code "type": "histogram"} through a real server: judged on its quantile, answered as the document says, bad counts at their pointers. */
class HistogramMetricTest extends DefaultServerTest {

    static JsonNode document;

    @BeforeAll
    static void start() {
        document = client.get("/openapi.json").json();
    }

    static String request(String canaryCounts) {
        return "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"latency_p99\", \"type\": \"histogram\", \"quantile\": 0.99,"
            + " \"bounds\": [0.05, 0.1, 0.25, 0.5, 1, 2.5], \"hold\": {\"relative\": 0.2},"
            + " \"baseline\": {\"counts\": [[10000, 25000, 12500, 2000, 400, 75, 25], [10000, 25000, 12500, 2000, 400, 75, 25]]},"
            + " \"canary\": {\"counts\": " + canaryCounts + "}}]}";
    }

    @Test
    void aSlowTailHoldsWithTheQuantileInTheReasonAndTheAnswerFollowsTheDocument() {
        Client.Response r = client.postJson(request("[[9500, 24000, 12000, 1900, 1000, 850, 750], [9500, 24000, 12000, 1900, 1000, 850, 750]]"));
        assertEquals(200, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/judge", r), r.body());
        JsonNode m = r.json().at("/metrics/0");
        assertEquals("hold", m.path("outcome").asText(), r.body());
        assertEquals("order-statistics-binomial", m.path("test").asText());
        assertTrue(m.path("reason").asText().startsWith("canary p99 is "), r.body());
        assertEquals(100_000, m.at("/baseline/requests").asLong());
        assertTrue(m.at("/canary/quantile").asDouble() > 2.5 - 1e-9, r.body());
    }

    @Test
    void badHistogramsAreReportedAtTheirPointers() {
        Client.Response r = client.postJson(request("[[1, 2, 3], [1, -2, 3, 4, 5, 6, 7]]"));
        JudgeServerTest.assertProblem(r, 400, "invalid-request");
        assertEquals(List.of("/metrics/0/canary/counts/1/1", "/metrics/0/canary/counts/0"), JudgeServerTest.pointers(r), r.body());
        assertTrue(r.body().contains("has 3 counts; the bounds make 7 buckets"), r.body());
        Client.Response noQuantile = client.postJson(request("[[1, 2, 3, 4, 5, 6, 7]]").replace("\"quantile\": 0.99,", ""));
        JudgeServerTest.assertProblem(noQuantile, 400, "invalid-request");
        assertEquals(List.of("/metrics/0/quantile"), JudgeServerTest.pointers(noQuantile), noQuantile.body());
    }
}
