package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

/** Points of the contract a real client found the server breaking: encodings, wording, completeness, drain. */
class ContractPointsTest extends DefaultServerTest {




    static Client.Response post(byte[] body) {
        return client.post("/judge", body, Map.of("Content-Type", "application/json"));
    }

    @Test
    void utf16AndUtf32BodiesAre415WithOrWithoutAByteOrderMark() {
        String json = TestRequests.example();
        for (String charset : List.of("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
            Client.Response r = post(json.getBytes(Charset.forName(charset)));
            JudgeServerTest.assertProblem(r, 415, "unsupported-media-type");
            assertTrue(r.json().path("detail").asText().contains("JSON must be UTF-8"), charset + ": " + r.body());
        }
        assertEquals(200, post(json.getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void parserProblemsAreToldWithoutTheLibrarysNames() {
        List<String> bodies = List.of(
            TestRequests.example() + " {}",
            "[".repeat(2_000),
            "{\"metrics\": [{\"name\": \"x\", \"baseline\": [1" + "0".repeat(100) + "]}]}",
            "{\"a\": 1, \"a\": 2}",
            "{\"metrics\": [tru]}");
        for (String body : bodies) {
            Client.Response r = post(body.getBytes(StandardCharsets.UTF_8));
            JudgeServerTest.assertProblem(r, 400, "invalid-request");
            assertFalse(RobustnessTest.LIBRARY_WORDS.matcher(r.body()).find(), r.body());
        }
        Client.Response trailing = post((TestRequests.example() + " {}").getBytes(StandardCharsets.UTF_8));
        assertTrue(trailing.body().contains("there is more after the first JSON value"), trailing.body());
    }

    @Test
    void aCountTooLargeToSumIsABadRequestNotAHeldJudgement() {
        String body = "{\"metrics\": [{\"name\": \"errors\", \"type\": \"rate\", \"hold\": {\"absolute\": 0.01},"
            + " \"baseline\": {\"errors\": [1], \"requests\": [9223372036854775807]},"
            + " \"canary\": {\"errors\": [1], \"requests\": [100]}}]}";
        Client.Response r = post(body.getBytes(StandardCharsets.UTF_8));
        JudgeServerTest.assertProblem(r, 400, "invalid-request");
        assertEquals(List.of("/metrics/0/baseline/requests/0"), JudgeServerTest.pointers(r), r.body());
        assertFalse(RobustnessTest.LIBRARY_WORDS.matcher(r.body()).find(), r.body());
    }

    @Test
    void everyProblemIsListedAtOnce() {
        String body = "{\"confidence\": 95, \"metrics\": [{\"name\": \"latency\", \"hold\": {\"relative\": 0.1},"
            + " \"baseline\": [1, 2, \"x\"], \"canary\": [1, 2, 3]}]}";
        Client.Response r = post(body.getBytes(StandardCharsets.UTF_8));
        JudgeServerTest.assertProblem(r, 400, "invalid-request");
        assertEquals(List.of("/confidence", "/metrics/0/baseline/2"), JudgeServerTest.pointers(r), r.body());
    }

    /** A drain keeps answering while /readyz says 503, so Kubernetes stops routing before connections are refused. */
    @Test
    void readinessTurns503WhileTheServerStillAnswersDuringTheDrain() throws Exception {
        JudgeServer draining = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false));
        Client c = new Client(draining.uri());
        assertEquals(200, c.get("/readyz").status());
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> draining.stop(Duration.ofSeconds(2)));
        JudgeServerTest.awaitTrue(() -> c.get("/readyz").status() == 503, "the drain has begun");
        JudgeServerTest.assertProblem(c.get("/readyz"), 503, "unavailable");
        Client.Response judged = c.post("/judge", TestRequests.example().getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
        assertEquals(200, judged.status(), "still judging during the drain: " + judged.body());
        stopped.get();
    }
}
