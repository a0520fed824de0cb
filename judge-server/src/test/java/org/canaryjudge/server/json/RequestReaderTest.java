package org.canaryjudge.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Violation;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

    private final RequestReader reader = new RequestReader();

    private JudgeRequest read(String json) {
        return reader.read(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> violations(String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(json));
        return e.violations().stream().collect(Collectors.toMap(Violation::path, Violation::message, (a, b) -> a + " | " + b));
    }

    @Test
    void readsEveryFieldOfTheContract() {
        JudgeRequest r = read("{'id': 'x-1', 'mode': 'fixed', 'confidence': 0.9, 'metrics': [{"
            + "'name': 'p99', 'type': 'continuous', 'direction': 'either', 'hold': {'absolute': 5},"
            + "'rollback': {'ratio': 2}, 'critical': true, 'weight': 2.5, 'minSamples': 3, 'minRequests': 100,"
            + "'confidence': 0.99, 'correlation': 'ignore', 'baseline': [1, null, 3.5], 'canary': [2, 3, 4]}]}");
        assertEquals("x-1", r.id());
        assertEquals(Mode.FIXED, r.mode());
        assertEquals(0.9, r.confidence());
        MetricSpec s = r.metrics().get(0).spec();
        assertEquals(Direction.EITHER, s.direction());
        assertEquals(Band.absolute(5), s.hold().orElseThrow());
        assertEquals(Band.ratio(2), s.rollback().orElseThrow());
        assertTrue(s.critical());
        assertEquals(2.5, s.weight());
        assertEquals(3, s.minSamples());
        assertEquals(0.99, s.confidence().getAsDouble());
        assertEquals(Correlation.IGNORE, s.correlation());
        assertEquals(3, ((MetricData.Continuous) r.metrics().get(0).data()).baseline().size());
        assertEquals(2, ((MetricData.Continuous) r.metrics().get(0).data()).baseline().observedCount());
    }

    @Test
    void appliesTheContractsDefaults() {
        JudgeRequest r = read("{'metrics': [{'name': 'p99', 'hold': {'relative': 0.1}, 'baseline': [1], 'canary': [1]}]}");
        assertEquals(Mode.SEQUENTIAL, r.mode());
        assertEquals(0.95, r.confidence());
        assertEquals(null, r.id());
        assertEquals(Direction.INCREASE, r.metrics().get(0).spec().direction());
    }

    @Test
    void reportsEveryProblemAtItsJsonPointer() {
        Map<String, String> v = violations("{'mode': 'fast', 'confidence': '95%', 'extra': 1, 'metrics': ["
            + "{'name': 'ok', 'hold': {'relative': 0.1}, 'baseline': [1], 'canary': [1]},"
            + "{'name': 'bad', 'type': 'gauge', 'direction': 'up', 'hold': {'relative': -1}, 'rollback': {'percent': 5},"
            + " 'critical': 'yes', 'weight': 0, 'minSamples': 2.5, 'baseline': [1, 'two', true], 'canary': {}},"
            + "{'hold': {'absolute': 1, 'relative': 2}, 'baseline': [1], 'canary': [1]},"
            + "7]}");
        assertTrue(v.get("/mode").contains("must be one of \"sequential\", \"fixed\""), v.toString());
        assertEquals("must be a number, got a string", v.get("/confidence"));
        assertTrue(v.get("/extra").startsWith("unknown field"));
        assertTrue(v.get("/metrics/1/type").contains("got \"gauge\""));
        assertTrue(v.get("/metrics/1/direction").contains("\"increase\", \"decrease\", \"either\""));
        assertTrue(v.get("/metrics/1/hold/relative").contains("above 0"), v.toString());
        assertTrue(v.get("/metrics/1/rollback/percent").startsWith("unknown field"));
        assertEquals("must be true or false, got a string", v.get("/metrics/1/critical"));
        assertEquals("must be a whole number, got the number 2.5", v.get("/metrics/1/minSamples"));
        assertEquals("must be a number or null (missing), got a string", v.get("/metrics/1/baseline/1"));
        assertEquals("must be a number or null (missing), got true", v.get("/metrics/1/baseline/2"));
        assertTrue(v.get("/metrics/1/canary").startsWith("must be an array"));
        assertEquals("is required", v.get("/metrics/2/name"));
        assertTrue(v.get("/metrics/2/hold").contains("exactly one of"));
        assertTrue(v.get("/metrics/3").startsWith("a metric must be an object"));
        assertTrue(!v.containsKey("/metrics/0"), "the valid metric has no violation");
    }

    @Test
    void specificationRulesFromTheCoreGetPointersToo() {
        Map<String, String> v = violations("{'metrics': [{'name': 'a', 'weight': -1, 'baseline': [1], 'canary': [1]},"
            + "{'name': 'b', 'hold': {'relative': 0.5}, 'rollback': {'relative': 0.1}, 'baseline': [1], 'canary': [1]}]}");
        assertTrue(v.get("/metrics/0").contains("needs at least one of the bands"), v.toString());
        assertTrue(v.get("/metrics/0/weight").contains("above 0"));
        assertTrue(v.get("/metrics/1/rollback").contains("must not be tighter"));
        Map<String, String> dup = violations("{'metrics': [{'name': 'a', 'hold': {'relative': 0.1}, 'baseline': [1], 'canary': [1]},"
            + "{'name': 'a', 'hold': {'relative': 0.1}, 'baseline': [1], 'canary': [1]}]}");
        assertTrue(dup.get("/metrics/1/name").contains("names must be unique"));
    }

    @Test
    void rejectsMalformedAndHostileJson() {
        assertTrue(violations("{'metrics': [").get("").startsWith("malformed JSON at line 1"));
        assertTrue(violations("").get("").contains("empty"));
        assertTrue(violations("[1, 2]").get("").contains("must be a JSON object"));
        assertTrue(violations("{'id': 'a', 'id': 'b', 'metrics': []}").get("").contains("Duplicate field"));
        assertTrue(violations("{'metrics': []} {}").get("").endsWith("there is more after the first JSON value; send exactly one JSON object"));
        assertEquals("is too large to be a number here", violations("{'metrics': [{'name': 'a', 'hold': {'absolute': 1},"
            + " 'baseline': [1e999], 'canary': [1]}]}").get("/metrics/0/baseline/0"));
        assertTrue(violations("{'metrics': []}").get("/metrics").contains("at least one metric"));
        assertTrue(violations("{'id': " + "[".repeat(100) + "]".repeat(100) + "}").get("").endsWith("objects and arrays nest more than 32 levels deep"));
        assertTrue(violations("{'confidence': 0." + "9".repeat(200) + "}").get("").endsWith("a number has more than 64 characters"));
        assertTrue(violations("{'config': 'checkout', 'metrics': [{'name': 'a', 'hold': {'absolute': 1}, 'baseline': [1], 'canary': [1]}]}")
            .get("/config").startsWith("unknown configuration \"checkout\""));
    }

    @Test
    void readsRateMetrics() {
        JudgeRequest r = read("{'metrics': [{'name': 'e', 'type': 'rate', 'hold': {'absolute': 0.01}, 'minRequests': 500,"
            + " 'horizon': 100000, 'baseline': {'errors': [3, 1], 'requests': [1000, 900]},"
            + " 'canary': {'errors': [2], 'requests': [100]}}]}");
        MetricData.Rate data = (MetricData.Rate) r.metrics().get(0).data();
        assertEquals(4, data.baseline().errors());
        assertEquals(1900, data.baseline().requests());
        assertEquals(100, data.canary().requests());
        assertEquals(500, r.metrics().get(0).spec().minRequests().getAsInt());
        assertEquals(100000, r.metrics().get(0).spec().horizon().getAsInt());
    }

    @Test
    void reportsEveryRateProblemAtItsPointer() {
        Map<String, String> v = violations("{'metrics': [{'name': 'e', 'type': 'rate', 'hold': {'absolute': 0.01},"
            + " 'baseline': {'errors': [3, -1, 5], 'requests': [2, 10, 10], 'extra': 0},"
            + " 'canary': [1, 2]},"
            + "{'name': 'f', 'type': 'rate', 'hold': {'absolute': 0.01}, 'baseline': {'errors': [1.5], 'requests': [10, 20]},"
            + " 'canary': {'errors': [1, 2]}}]}");
        assertTrue(v.get("/metrics/0/baseline/extra").startsWith("unknown field"), v.toString());
        assertTrue(v.get("/metrics/0/canary").contains("{\"errors\": [...], \"requests\": [...]}"), v.toString());
        assertEquals("must be a whole number of at most 1,000,000,000,000 (10^12), got the number 1.5", v.get("/metrics/1/baseline/errors/0"));
        assertTrue(v.get("/metrics/1/canary/requests").startsWith("is required"), v.toString());
        Map<String, String> counts = violations("{'metrics': [{'name': 'e', 'type': 'rate', 'hold': {'absolute': 0.01},"
            + " 'baseline': {'errors': [3, -1, 5], 'requests': [2, 10, 10]}, 'canary': {'errors': [1], 'requests': [1, 2]}}]}");
        assertEquals("has 3 errors out of only 2 requests", counts.get("/metrics/0/baseline/errors/0"));
        assertEquals("must not be negative, got -1", counts.get("/metrics/0/baseline/errors/1"));
        assertTrue(counts.get("/metrics/0/canary/requests").contains("must pair up"), counts.toString());
    }

    @Test
    void escapesFieldNamesInPointers() {
        assertEquals(List.of("/a~1b~0c"), List.copyOf(violations("{'a/b~c': 1, 'metrics': [{'name': 'x', 'hold': {'absolute': 1},"
            + " 'baseline': [1], 'canary': [1]}]}").keySet()));
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void aNamedConfigurationSuppliesWhatTheRequestLeavesOut() throws Exception {
        RequestReader withConfig = new RequestReader(Map.of("checkout", json("{'mode': 'fixed', 'confidence': 0.9,"
            + " 'metrics': [{'name': 'p95', 'hold': {'relative': 0.1}, 'rollback': {'relative': 0.5}},"
            + " {'name': 'cpu', 'direction': 'either', 'hold': {'absolute': 5}}]}")));
        JudgeRequest r = withConfig.read(("{'config': 'checkout', 'metrics': ["
            + "{'name': 'p95', 'baseline': [1, 2], 'canary': [1, 2]},"
            + "{'name': 'cpu', 'hold': {'absolute': 9}, 'baseline': [1], 'canary': [1]}]}").replace('\'', '"')
            .getBytes(StandardCharsets.UTF_8));
        assertEquals(Mode.FIXED, r.mode());
        assertEquals(0.9, r.confidence());
        assertEquals(Band.relative(0.5), r.metrics().get(0).spec().rollback().orElseThrow());
        assertEquals(Band.absolute(9), r.metrics().get(1).spec().hold().orElseThrow(), "the request overrides");
        assertEquals(Direction.EITHER, r.metrics().get(1).spec().direction());

        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> withConfig.read(
            "{\"config\": \"checkout\", \"metrics\": [{\"name\": \"p95\", \"baseline\": [1], \"canary\": [1]}]}"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("/metrics", missing.violations().get(0).path());
        assertTrue(missing.violations().get(0).message().contains("\"cpu\""));
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> withConfig.read(
            "{\"config\": \"billing\", \"metrics\": []}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("unknown configuration \"billing\"; known: checkout", unknown.violations().get(0).message());
    }

    @Test
    void configurationsAreCheckedWhenLoaded() throws Exception {
        assertEquals(List.of(), RequestReader.checkConfiguration(json("{'metrics': [{'name': 'a', 'hold': {'ratio': 2}}]}")));
        Map<String, String> v = RequestReader.checkConfiguration(json("{'mode': 'slow', 'metrics': ["
            + "{'name': 'a', 'hold': {'ratio': 0.5}, 'baseline': [1]}, {'name': 'a', 'hold': {'absolute': 1}}]}")).stream()
            .collect(Collectors.toMap(Violation::path, Violation::message, (a, b) -> a + " | " + b));
        assertTrue(v.containsKey("/mode"), v.toString());
        assertTrue(v.get("/metrics/0/hold/ratio").contains("above 1"), v.toString());
        assertTrue(v.get("/metrics/0/baseline").contains("holds no data"), v.toString());
        assertTrue(v.get("/metrics/1/name").contains("repeats"), v.toString());
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> new RequestReader(Map.of("bad", json("{'metrics': []}"))));
        assertEquals("/bad/metrics", e.violations().get(0).path());
    }
}
