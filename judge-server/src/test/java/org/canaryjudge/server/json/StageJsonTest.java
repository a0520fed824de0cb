package org.canaryjudge.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Violation;
import org.junit.jupiter.api.Test;

/** The request's {@code stage}, a metric's {@code stageStart} and the response's {@code metrics[].stage}. */
class StageJsonTest {

    private static final String POINTS = "[100, 101, 99, 102, 98, 100, 103, 97, 101, 99, 100, 102]";
    private static final String LATE = "[100, 101, 99, 102, 98, 100, 206, 194, 202, 198, 200, 204]";

    private final RequestReader reader = new RequestReader();

    private JudgeRequest read(String json) {
        return reader.read(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStageIsReadAndItsResultWritten() throws Exception {
        JudgeRequest r = read("{'mode': 'fixed', 'stage': {'name': '25%', 'startIndex': 6}, 'metrics': [{'name': 'p99',"
            + "'hold': {'relative': 0.1}, 'rollback': {'relative': 0.3}, 'minSamples': 5, 'correlation': 'ignore',"
            + "'baseline': " + POINTS + ", 'canary': " + LATE + "},"
            + "{'name': 'cpu', 'hold': {'relative': 0.1}, 'minSamples': 5, 'stageStart': {'baseline': 2, 'canary': 3},"
            + "'baseline': " + POINTS + ", 'canary': " + POINTS + "}]}");
        assertEquals("25%", r.stage().name());
        assertEquals(6, r.stage().startIndex());
        assertNull(r.metrics().get(0).stageStart());
        assertEquals(3, r.metrics().get(1).stageStart().canary());
        JsonNode out = new ObjectMapper().readTree(new JudgementWriter(false).write(new Judge().judge(r)));
        JsonNode stage = out.path("metrics").path(0).path("stage");
        assertEquals("25%", stage.path("name").asText());
        assertEquals("rollback", stage.path("outcome").asText(), stage.toString());
        assertEquals(6, stage.path("baseline").path("n").asInt());
        assertEquals(6, stage.path("canary").path("n").asInt());
        assertTrue(stage.path("effect").path("estimate").asDouble() > 0.8, stage.toString());
        assertTrue(stage.path("reason").asText().contains("beyond the +30 % rollback band"), stage.toString());
        assertEquals(9, out.path("metrics").path(1).path("stage").path("canary").path("n").asInt());
        assertEquals("rollback", out.path("verdict").asText());
    }

    @Test
    void withoutAStageTheResponseHasNone() throws Exception {
        JudgeRequest r = read("{'metrics': [{'name': 'p99', 'hold': {'relative': 0.1}, 'baseline': " + POINTS
            + ", 'canary': " + POINTS + "}]}");
        assertNull(r.stage());
        JsonNode out = new ObjectMapper().readTree(new JudgementWriter(false).write(new Judge().judge(r)));
        assertTrue(out.path("metrics").path(0).path("stage").isMissingNode());
    }

    @Test
    void badStagesAreReportedAtTheirPointers() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read("{'stage': {'name': ' ', "
            + "'startIndex': -1, 'x': 1}, 'metrics': [{'name': 'p99', 'hold': {'relative': 0.1}, 'stageStart': {'canary': 'a'},"
            + "'baseline': [1], 'canary': [1]}]}"));
        Map<String, String> v = e.violations().stream()
            .collect(Collectors.toMap(Violation::path, Violation::message, (a, b) -> a + " | " + b));
        assertTrue(v.containsKey("/stage/x"), v.toString());
        assertTrue(v.containsKey("/stage/startIndex") || v.containsKey("/stage/name"), v.toString());
        assertTrue(v.containsKey("/metrics/0/stageStart/baseline"), v.toString());
        assertTrue(v.containsKey("/metrics/0/stageStart/canary"), v.toString());
    }
}
