package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.canaryjudge.server.source.FaultyPrometheus;
import org.canaryjudge.server.source.FaultyPrometheus.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer fault at every placement: a live configuration served by {@link FaultyPrometheus},
 * whose healthy answers promote, must never promote when any one query's answer is faulty — nor
 * answer anything but 200 with a reason. Placements are canary and baseline × errors, requests and
 * value (two queries per rate), and canary and baseline of a rate whose errors are the requests
 * query's {@code by (code)} series.
 */
class SourceFaultMatrixTest {

    static final long START = 1_764_700_000L - 1_764_700_000L % 60;
    static final long END = START + 3_600;
    static final List<String> TWO_QUERY_PLACEMENTS = List.of("canary_errors", "canary_requests", "canary_value",
        "baseline_errors", "baseline_requests", "baseline_value");
    static final List<String> BY_CODE_PLACEMENTS = List.of("canary_bycode", "baseline_bycode");

    @TempDir
    static Path dir;
    static FaultyPrometheus prometheus;
    static JudgeServer server;
    static Client client;

    static String query(String kind, String side) {
        return "'" + kind + "{side=\"" + side + "\",fault=\"${fault}\",at=\"${at}\"}'";
    }

    @BeforeAll
    static void start() throws IOException {
        prometheus = FaultyPrometheus.start();
        String metrics = """
                metrics:
                  - name: latency_ms
                    hold: {relative: 0.1}
                    rollback: {relative: 0.5}
                    queries: {baseline: %s, canary: %s}
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.005}
                    rollback: {absolute: 0.02}
                    queries:
                      baseline: {errors: %s, requests: %s}
                      canary: {errors: %s, requests: %s}
            """.formatted(query("value", "baseline"), query("value", "canary"), query("errors", "baseline"),
            query("requests", "baseline"), query("errors", "canary"), query("requests", "canary"));
        String yaml = """
            sources:
              fake: {url: '%s', timeoutSeconds: 1, maxAnswerBytes: 1048576}
            configs:
              twoQueries:
                source: fake
                step: 60s
            %s
              lookback:
                source: fake
                step: 60s
                lookback: 1h
            %s
              %s
              %s
            """.formatted(prometheus.baseUrl(), metrics, metrics,
            LiveYaml.errorRate("byCode", "fake", LiveYaml.byCode(query("bycode", "baseline"), query("bycode", "canary"))),
            LiveYaml.errorRate("emptyIsZero", "fake", LiveYaml.twoQueries("emptyErrors: zero, ", query("errors", "baseline"),
                query("requests", "baseline"), query("errors", "canary"), query("requests", "canary"))));
        server = LiveServers.start(dir, yaml);
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(server, prometheus);
    }

    static JsonNode judge(String config, String fault, String at, boolean withStart) {
        String window = withStart ? ", \"start\": " + START + ", \"end\": " + END : ", \"end\": " + END;
        Client.Response r = client.postJson("{\"config\": \"" + config + "\", \"variables\": {\"fault\": \"" + fault
            + "\", \"at\": \"" + at + "\"}" + window + "}");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void theHealthyControlPromotesInEveryConfiguration() {
        for (String config : List.of("twoQueries", "lookback", "byCode", "emptyIsZero")) {
            JsonNode j = judge(config, "none", "canary_errors", !config.equals("lookback"));
            assertEquals("promote", j.path("verdict").asText(), config + ": " + j);
        }
        JsonNode j = judge("twoQueries", "none", "canary_errors", true);
        assertEquals(61, j.at("/metrics/0/canary/n").asInt(), j.toString());
        assertEquals(610_000, j.at("/metrics/1/canary/requests").asLong(), j.toString());
    }

    @TestFactory
    Stream<DynamicTest> noFaultAtAnyPlacementPromotes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            List<String> placements = new ArrayList<>(BY_CODE_PLACEMENTS);
            if (fault != Fault.ERROR_CODE_NAN) {
                placements.addAll(TWO_QUERY_PLACEMENTS);
            }
            for (String at : placements) {
                String config = at.endsWith("bycode") ? "byCode" : "twoQueries";
                tests.add(DynamicTest.dynamicTest(fault + " at " + at, () -> {
                    JsonNode j = judge(config, fault.variable(), at, true);
                    assertNotEquals("promote", j.path("verdict").asText(), j.toString());
                    assertTrue(j.path("reason").asText().length() > 20, j.toString());
                }));
            }
        }
        assertTrue(tests.size() >= 30 * 8, "the matrix has " + tests.size() + " cases");
        return tests.stream();
    }

    /**
     * Without a start the window is the lookback, which begins before the canary did; it then starts
     * at the canary's first sample. A canary whose only series begins late is indistinguishable from
     * one that started late, so that one case is judged on what it reported (12 steps a side).
     */
    @TestFactory
    Stream<DynamicTest> withoutAStartNoFaultPromotesEither() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            if (fault == Fault.ERROR_CODE_NAN || fault == Fault.TOO_SLOW) {
                continue;
            }
            for (String at : TWO_QUERY_PLACEMENTS) {
                tests.add(DynamicTest.dynamicTest(fault + " at " + at, () -> {
                    JsonNode j = judge("lookback", fault.variable(), at, false);
                    if (fault == Fault.LAST_12_STEPS && at.equals("canary_value")) {
                        assertEquals(12, j.at("/metrics/0/canary/n").asInt(), j.toString());
                        assertEquals(12, j.at("/metrics/0/baseline/n").asInt(), j.toString());
                    } else {
                        assertNotEquals("promote", j.path("verdict").asText(), j.toString());
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Flagger's metadata is a map of strings: the window's times come as digits. */
    @Test
    void flaggersGateOpensOnlyOnHealthyDataWithTheWindowAsStrings() {
        String payload = "{\"name\": \"checkout\", \"namespace\": \"shop\", \"phase\": \"Progressing\", \"metadata\": {"
            + "\"start\": \"" + START + "\", \"end\": \"" + END + "\", \"fault\": \"%s\", \"at\": \"canary_errors\"}}";
        Client.Response healthy = client.post("/flagger/gate/twoQueries", payload.formatted("none").getBytes(),
            java.util.Map.of("Content-Type", "application/json"));
        assertEquals(200, healthy.status(), healthy.body());
        Client.Response faulty = client.post("/flagger/gate/twoQueries", payload.formatted("nan_all").getBytes(),
            java.util.Map.of("Content-Type", "application/json"));
        assertEquals(403, faulty.status(), faulty.body());
        assertTrue(faulty.body().startsWith("hold: error_rate: The canary reported 0 of 61"), faulty.body());
    }

    @Test
    void aPartialSeriesIsInconclusiveWithTheNumbers() {
        JsonNode j = judge("twoQueries", "first_12_steps", "canary_errors", true);
        JsonNode rate = j.at("/metrics/1");
        assertEquals("inconclusive", rate.path("outcome").asText(), rate.toString());
        assertTrue(rate.path("reason").asText().startsWith("The canary reported 12 of 61 one-minute steps (its errors query"
            + " had a value at 12 and its requests query at 61). At least 49 (80 %) of the steps"), rate.toString());
        JsonNode value = judge("twoQueries", "nan_every_other", "baseline_value", true).at("/metrics/0");
        assertEquals("inconclusive", value.path("outcome").asText(), value.toString());
        assertTrue(value.path("reason").asText().startsWith("The baseline reported 31 of 61 one-minute steps."), value.toString());
    }

    @Test
    void anEmptyErrorsAnswerIsNodataUnlessTheMetricOptsIn() {
        JsonNode nodata = judge("twoQueries", "no_series", "canary_errors", true).at("/metrics/1");
        assertEquals("nodata", nodata.path("outcome").asText(), nodata.toString());
        assertTrue(nodata.path("reason").asText().contains("errors query returned no series"), nodata.toString());
        JsonNode zero = judge("emptyIsZero", "no_series", "canary_errors", true);
        assertEquals("promote", zero.path("verdict").asText(), zero.toString());
        assertTrue(zero.at("/metrics/0/reason").asText()
            .startsWith("No error series was returned for the canary; counted as zero errors"), zero.toString());
    }

    @Test
    void anOversizedAnswerIsAnErrorNamingTheLimit() {
        JsonNode j = judge("twoQueries", "larger_than_allowed", "canary_requests", true).at("/metrics/1");
        assertEquals("error", j.path("outcome").asText(), j.toString());
        assertTrue(j.path("reason").asText().contains("larger than 1 MiB (the source's maxAnswerBytes)"), j.toString());
        // The stand-in writes its 14 MB answer once and keeps it: the first call may time out on a busy machine.
        judge("twoQueries", "seven_hundred_thousand_off_grid", "canary_value", true);
        JsonNode flood = judge("twoQueries", "seven_hundred_thousand_off_grid", "canary_value", true).at("/metrics/0");
        assertEquals("error", flood.path("outcome").asText(), flood.toString());
        assertTrue(flood.path("reason").asText().contains("more samples in one series than the window has steps (61)"),
            flood.toString());
    }
}
