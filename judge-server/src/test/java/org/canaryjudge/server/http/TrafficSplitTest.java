package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request's {@code traffic} through a real server: a mismatch holds and says why; bad fields are 400s at their pointers. */
class TrafficSplitTest extends DefaultServerTest {

    static JsonNode document;

    @BeforeAll
    static void start() {
        document = client.get("/openapi.json").json();
    }


    static String request(String traffic, long canaryRequests) {
        return "{\"mode\": \"fixed\", \"traffic\": " + traffic + ", \"metrics\": [{\"name\": \"error_rate\", \"type\": \"rate\","
            + " \"hold\": {\"absolute\": 0.01}, \"baseline\": {\"errors\": [490, 490], \"requests\": [490000, 490000]},"
            + " \"canary\": {\"errors\": [" + canaryRequests / 1000 + ", " + canaryRequests / 1000 + "], \"requests\": ["
            + canaryRequests + ", " + canaryRequests + "]}}]}";
    }

    @Test
    void aCanaryGettingTooLittleTrafficIsHeldWithTheNumbers() {
        Client.Response r = client.postJson(request("{\"canaryShare\": 0.05, \"metric\": \"error_rate\"}", 10_000));
        assertEquals(200, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/judge", r), r.body());
        JsonNode j = r.json();
        assertEquals("hold", j.path("verdict").asText(), r.body());
        assertEquals("pass", j.at("/metrics/0/outcome").asText(), "the metric alone would promote");
        assertEquals("mismatch", j.at("/traffic/outcome").asText());
        assertEquals(0.05, j.at("/traffic/expectedShare").asDouble());
        assertEquals(20_000.0 / 1_000_000, j.at("/traffic/observedShare").asDouble(), 1e-12);
        assertTrue(j.path("reason").asText().startsWith("traffic: the canary got 2.00 % of requests"), j.toString());
    }

    @Test
    void theIntendedSplitPromotes() {
        Client.Response r = client.postJson(request("{\"canaryShare\": 0.02, \"metric\": \"error_rate\"}", 10_000));
        assertEquals("promote", r.json().path("verdict").asText(), r.body());
        assertEquals("ok", r.json().at("/traffic/outcome").asText(), r.body());
    }

    @Test
    void badTrafficFieldsAreReportedAtTheirPointers() {
        Client.Response r = client.postJson(request("{\"canaryShare\": 5, \"metric\": \"error_rate\", \"x\": 1}", 10_000));
        JudgeServerTest.assertProblem(r, 400, "invalid-request");
        assertEquals(List.of("/traffic/x", "/traffic/canaryShare"), JudgeServerTest.pointers(r), r.body());
        Client.Response notRate = client.postJson(request("{\"canaryShare\": 0.05, \"metric\": \"latency\"}", 10_000));
        JudgeServerTest.assertProblem(notRate, 400, "invalid-request");
        assertEquals(List.of("/traffic/metric"), JudgeServerTest.pointers(notRate), notRate.body());
    }
}
