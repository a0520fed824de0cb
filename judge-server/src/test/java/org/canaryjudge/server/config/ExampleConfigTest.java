package org.canaryjudge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.RequestReader;
import org.junit.jupiter.api.Test;

/**
 * judge-server/examples/judge.yaml encodes the two checkout policies: the file loads, and the
 * policies judge the checkout rollout as they say.
 */
class ExampleConfigTest {

    static final Path EXAMPLE = Path.of("examples", "judge.yaml");

    static JsonNode yaml() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.toFile());
    }

    static JsonNode metric(JsonNode config, String name) {
        for (JsonNode m : config.get("metrics")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + name + " in " + config);
    }

    @Test
    void encodesTheTwoPoliciesOfTheSeedStory() throws IOException {
        JsonNode configs = yaml().get("configs");
        // Policy 1: hold beyond +0.5 points of error rate, roll back beyond +2 points.
        JsonNode errors = metric(configs.get("checkout-errors"), "error_rate");
        assertEquals("rate", errors.get("type").asText());
        assertEquals("increase", errors.get("direction").asText());
        assertEquals(0.005, errors.at("/hold/absolute").doubleValue());
        assertEquals(0.02, errors.at("/rollback/absolute").doubleValue());
        // Policy 2: hold beyond +10 % p95 latency, roll back when the error rate doubles.
        JsonNode latency = metric(configs.get("checkout-latency"), "latency_p95_ms");
        assertEquals(0.10, latency.at("/hold/relative").doubleValue());
        assertTrue(latency.path("type").isMissingNode() || latency.get("type").asText().equals("continuous"));
        JsonNode doubling = metric(configs.get("checkout-latency"), "error_rate");
        assertEquals("rate", doubling.get("type").asText());
        assertEquals(2.0, doubling.at("/rollback/ratio").doubleValue());
    }

    @Test
    void theWholeFileLoads() {
        ConfigFile file = ConfigFile.load(EXAMPLE);
        assertEquals(List.of("checkout-errors", "checkout-latency", "checkout-live", "checkout-flagger"),
            List.copyOf(file.configurations().keySet()));
        assertEquals(List.of("checkout-live", "checkout-flagger"), List.copyOf(file.liveConfigurations().keySet()));
        assertEquals(8080, file.server().port());
    }

    /** The checkout rollout through both policies: +30 % p95 holds, +0.7 points of errors holds, doubled errors roll back. */
    @Test
    void theSeedStoryIsJudgedThroughTheNamedConfigurations() throws IOException {
        JsonJudge judge = new JsonJudge(new RequestReader(ConfigFile.load(EXAMPLE).configurations()));
        String errors = "{\"name\": \"error_rate\", \"baseline\": {\"errors\": [10000], \"requests\": [1000000]},"
            + " \"canary\": {\"errors\": [%d], \"requests\": [100000]}}";
        Judgement drift = judge.judge(("{\"config\": \"checkout-errors\", \"metrics\": [" + String.format(errors, 1700) + "]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Verdict.HOLD, drift.verdict(), "1.7 % against 1 %: +0.7 points is beyond the 0.5-point hold band: "
            + drift.reason());
        assertEquals(org.canaryjudge.model.Outcome.HOLD, drift.metrics().get(0).outcome(), drift.reason());
        Judgement doubled = judge.judge(("{\"config\": \"checkout-latency\", \"metrics\": [{\"name\": \"latency_p95_ms\","
            + " \"baseline\": " + series(100, 0) + ", \"canary\": " + series(130, 0) + "}, " + String.format(errors, 4000) + "]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Verdict.ROLLBACK, doubled.verdict(), "4 % against 1 % is beyond the 2x rollback band: " + doubled.reason());
        assertEquals(org.canaryjudge.model.Outcome.HOLD, doubled.metrics().get(0).outcome(), "+30 % p95: " + doubled.reason());
    }

    private static String series(double level, int salt) {
        StringBuilder b = new StringBuilder("[");
        java.util.Random random = new java.util.Random(salt);
        for (int i = 0; i < 40; i++) {
            b.append(i == 0 ? "" : ", ").append(level + random.nextGaussian());
        }
        return b.append(']').toString();
    }
}
