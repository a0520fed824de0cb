package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Mode;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.source.OpenMetricsRecording;
import org.canaryjudge.server.source.RealPrometheus;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live data end to end: a real Prometheus (Debian's package) loaded with two recorded fixtures, a
 * real server on a free port whose configuration file points at it, and real HTTP requests that
 * send no data. The judgement of fetched data must be exactly the judgement of the recorded data
 * sent in the request body; failures of the source must pause (hold, outcome error), never 5xx.
 */
@Tag("prometheus")
class LiveDataTest {

    static final String HEALTHY = "healthy-canary-promote";
    static final String CRASH = "crash-loop";
    static final String HEALTHY_START = "2024-05-01T12:00:00Z";
    static final String HEALTHY_END = "2024-05-01T13:55:00Z";

    @TempDir
    static Path dir;

    static Fixture healthy;
    static Fixture crash;
    static RealPrometheus prometheus;
    static JudgeServer server;
    static Client client;
    static JsonNode document;

    /** The error-rate queries of the recordings, as one YAML flow mapping. */
    static final String ERROR_QUERIES = "{" + String.join(", ", List.of("baseline", "canary").stream().map(track -> track + ": {"
        + "errors: 'sum(increase(fixture_error_rate_errors_total{fixture=\"${fixture}\",track=\"" + track + "\"}[${step}]))', "
        + "requests: 'sum(increase(fixture_error_rate_requests_total{fixture=\"${fixture}\",track=\"" + track + "\"}[${step}]))'}")
        .toList()) + "}";

    /** The p99 queries of the recordings, as one YAML flow mapping. */
    static final String LATENCY_QUERIES = "{baseline: 'fixture_latency_p99_ms{fixture=\"${fixture}\",track=\"baseline\"}',"
        + " canary: 'fixture_latency_p99_ms{fixture=\"${fixture}\",track=\"canary\"}'}";

    /** A configuration file like a user's, with the recorded series' names from {@link OpenMetricsRecording}. */
    static String configuration(String prometheusUrl, int closedPort) {
        return """
            sources:
              prom: {url: '%1$s', timeoutSeconds: 5}
              down: {url: 'http://127.0.0.1:%3$d', timeoutSeconds: 2}
            configs:
              replayed:
                source: prom
                step: 5m
                metrics:
                  - name: latency_p99_ms
                    hold: {relative: 0.1}
                    rollback: {relative: 0.5}
                    queries: %4$s
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.005}
                    rollback: {absolute: 0.02}
                    queries: %2$s
              errors:
                source: prom
                step: 5m
                lookback: 2h
                metrics:
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.01}
                    rollback: {absolute: 0.05}
                    queries: %2$s
              unreachable:
                source: down
                lookback: 1h
                metrics:
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.01}
                    queries: %2$s
              broken:
                source: prom
                step: 5m
                metrics:
                  - {name: bad_syntax, hold: {relative: 0.1}, queries: {baseline: 'sum(', canary: 'up'}}
                  - {name: two_series, hold: {relative: 0.1}, queries: {baseline: 'fixture_latency_p99_ms{fixture="${fixture}"}', canary: 'fixture_latency_p99_ms{fixture="${fixture}",track="canary"}'}}
            """.formatted(prometheusUrl, ERROR_QUERIES, closedPort, LATENCY_QUERIES);
    }

    @BeforeAll
    static void start() throws IOException {
        FixtureReader reader = new FixtureReader();
        healthy = reader.read(Path.of("..", "fixtures", HEALTHY));
        crash = reader.read(Path.of("..", "fixtures", CRASH));
        prometheus = RealPrometheus.start(OpenMetricsRecording.of(healthy, crash));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path file = dir.resolve("judge.yaml");
        Files.writeString(file, configuration(prometheus.baseUrl().toString(), closedPort));
        server = LiveServers.start(file, c -> c);
        client = new Client(server.uri());
        document = client.get("/openapi.json").json();
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(server, prometheus);
    }

    private static Client.Response judge(String body) {
        Client.Response r = client.postJson(body);
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/judge", r), r.body());
        return r;
    }

    /** The judgement of the fixture's recorded data, judged in-process with the same specifications. */
    private static String recordedJudgement(Fixture fixture) {
        List<Metric> metrics = new ArrayList<>();
        for (RecordedMetric m : fixture.metrics()) {
            metrics.add(new Metric(m.spec(), m.before(Long.MAX_VALUE).data()));
        }
        return new JudgementWriter(false).write(new Judge().judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95, metrics)));
    }

    @Test
    void fetchedDataAreJudgedExactlyAsTheRecordedData() {
        Client.Response r = judge("{\"config\": \"replayed\", \"variables\": {\"fixture\": \"" + HEALTHY + "\"},"
            + " \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals(recordedJudgement(healthy), r.body());
        assertEquals("promote", r.json().path("verdict").asText(), r.body());
        assertEquals(24, r.json().at("/metrics/0/canary/n").asInt(), "24 five-minute points from 12:00 to 13:55");
    }

    @Test
    void aCrashLoopingCanaryIsRolledBackFromItsFirstFiveMinutesAndOverridesApply() {
        // Epoch seconds, a step given in the request, and a band overridden by the request's metrics.
        Client.Response r = judge("{\"config\": \"errors\", \"variables\": {\"fixture\": \"" + CRASH + "\"},"
            + " \"start\": 1714564800, \"end\": \"2024-05-01T12:00:00Z\", \"step\": \"PT5M\","
            + " \"metrics\": [{\"name\": \"error_rate\", \"rollback\": {\"absolute\": 0.10}}]}");
        assertEquals("rollback", r.json().path("verdict").asText(), r.body());
        assertEquals(0.10, r.json().at("/metrics/0/bands/rollback/upper").asDouble(), 1e-12, r.body());
        assertEquals(611, r.json().at("/metrics/0/canary/errors").asLong(), "the first row's errors, exactly");
    }

    @Test
    void withoutStartTheLookbackEndingAtEndIsTheWindow() {
        Client.Response r = judge("{\"config\": \"errors\", \"variables\": {\"fixture\": \"" + HEALTHY + "\"},"
            + " \"end\": \"" + HEALTHY_END + "\"}");
        // lookback 2h ending 13:55 starts at 11:55, one step before the recording: 24 steps with data.
        assertEquals(24 * 5, r.json().at("/metrics/0/canary/requests").asLong() / 2000, 10, r.body());
        assertEquals("promote", r.json().path("verdict").asText(), r.body());
    }

    @Test
    void seriesThatDoNotExistAreNoDataAndTheRolloutHolds() {
        Client.Response r = judge("{\"config\": \"replayed\", \"variables\": {\"fixture\": \"no-such-fixture\"},"
            + " \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"}");
        assertEquals("hold", r.json().path("verdict").asText());
        assertEquals("nodata", r.json().at("/metrics/0/outcome").asText(), r.body());
        assertEquals("nodata", r.json().at("/metrics/1/outcome").asText(), r.body());
    }

    @Test
    void anUnreachableSourceHoldsWithAReasonNamingIt() {
        Client.Response r = judge("{\"config\": \"unreachable\", \"variables\": {\"fixture\": \"" + CRASH + "\"},"
            + " \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("hold", r.json().path("verdict").asText());
        assertEquals("error", r.json().at("/metrics/0/outcome").asText());
        String reason = r.json().at("/metrics/0/reason").asText();
        assertTrue(reason.startsWith("Prometheus source \"down\" could not be reached at http://127.0.0.1:"), reason);
        assertTrue(reason.contains("(the baseline errors query of error_rate)"), reason);
    }

    @Test
    void prometheusErrorsAndAmbiguousQueriesAreErrorsNotVerdicts() {
        Client.Response r = judge("{\"config\": \"broken\", \"variables\": {\"fixture\": \"" + HEALTHY + "\"},"
            + " \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"}");
        assertEquals("hold", r.json().path("verdict").asText(), r.body());
        String syntax = r.json().at("/metrics/0/reason").asText();
        assertTrue(syntax.startsWith("Prometheus source \"prom\" answered HTTP 400 (") && syntax.contains("parse error"), syntax);
        String two = r.json().at("/metrics/1/reason").asText();
        assertTrue(two.startsWith("the baseline query of two_series gives 2 series; it must give one"), two);
        assertEquals("error", r.json().at("/metrics/1/outcome").asText());
    }

    @Test
    void badLiveFieldsAre400sBeforeAnythingIsFetched() {
        Map<String, String> cases = Map.of(
            "{\"config\": \"replayed\", \"start\": \"yesterday\"}", "/start",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\\\"} or up{a=\\\"\"}, \"start\": 0}", "/variables/fixture",
            "{\"config\": \"replayed\", \"start\": 0, \"end\": 1}", "/variables",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\"}, \"start\": 0, \"end\": 10000000, \"step\": \"1s\"}", "/start",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\", \"step\": \"1m\"}, \"start\": 0}", "/variables/step",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\"}, \"start\": 0, \"step\": \"soon\"}", "/step",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\"}, \"start\": 1714564800, \"end\": 1714568400,"
                + " \"metrics\": [{\"name\": \"latency_p99_ms\", \"baseline\": [1], \"canary\": [1]}]}", "/metrics/0/baseline",
            "{\"config\": \"replayed\", \"variables\": {\"fixture\": \"x\"}, \"start\": 0, \"colour\": 1}", "/colour",
            "{\"variables\": {\"fixture\": \"x\"}, \"metrics\": [{\"name\": \"a\", \"hold\": {\"ratio\": 2}, \"baseline\": [1], \"canary\": [1]}]}",
                "/variables");
        cases.forEach((body, pointer) -> {
            Client.Response r = judge(body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            List<String> pointers = new ArrayList<>();
            r.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
            assertTrue(pointers.contains(pointer), body + ": " + pointer + " in " + r.body());
        });
    }

    @Test
    void flaggerGatesAndRollbackHooksAnswerWithTheVerdict() {
        String healthyPayload = "{\"name\": \"checkout\", \"namespace\": \"shop\", \"phase\": \"Progressing\", \"checksum\": \"85d557f47b\","
            + " \"metadata\": {\"fixture\": \"" + HEALTHY + "\", \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"}}";
        String crashPayload = "{\"name\": \"checkout\", \"namespace\": \"shop\", \"phase\": \"Progressing\","
            + " \"metadata\": {\"fixture\": \"" + CRASH + "\", \"end\": \"2024-05-01T12:10:00Z\"}}";
        Object[][] calls = {
            {"/flagger/gate/replayed", healthyPayload, 200, "promote: "},
            {"/flagger/rollback/replayed", healthyPayload, 403, "promote: "},
            {"/flagger/gate/errors", crashPayload, 403, "rollback: error_rate: "},
            {"/flagger/rollback/errors", crashPayload, 200, "rollback: error_rate: "},
            {"/flagger/gate/unreachable", crashPayload, 403, "hold: error_rate: Prometheus source \"down\""},
        };
        for (Object[] call : calls) {
            Client.Response r = client.post((String) call[0], ((String) call[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            String template = ((String) call[0]).replaceAll("/(replayed|errors|unreachable)$", "/{config}");
            assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", template, r), r.body());
            assertEquals(call[2], r.status(), call[0] + ": " + r.body());
            assertTrue(r.body().startsWith((String) call[3]), call[0] + ": " + r.body());
            assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        }
    }

    @Test
    void flaggerLooksAreRememberedAsTheRolloutOfTheCanaryRevision() throws IOException {
        Path file = dir.resolve("judge.yaml");
        ConfigFile config = ConfigFile.load(file);
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("flagger-rollouts.db"));
             JudgeServer remembering = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false)
                 .withConfigurations(config.configurations(), config.liveConfigurations()), line -> { }, store)) {
            Client c = new Client(remembering.uri());
            String payload = "{\"name\": \"checkout\", \"namespace\": \"shop\", \"phase\": \"Progressing\", \"checksum\": \"85d557f47b\","
                + " \"metadata\": {\"fixture\": \"" + HEALTHY + "\", \"stage\": \"10%\", \"start\": \"" + HEALTHY_START
                + "\", \"end\": \"" + HEALTHY_END + "\"}}";
            for (int i = 0; i < 2; i++) {
                Client.Response r = c.post("/flagger/gate/replayed", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/json"));
                assertEquals(200, r.status(), r.body());
            }
            Client.Response history = c.get("/rollouts/shop%2Fcheckout%2F85d557f47b");
            assertEquals(200, history.status(), history.body());
            JsonNode looks = history.json().path("looks");
            assertEquals(2, looks.size(), history.body());
            assertEquals("10%", looks.get(1).path("stage").asText());
            assertEquals(2, looks.get(1).path("stageLook").asInt());
            assertEquals("replayed", looks.get(1).path("config").asText());
            assertEquals("promote", looks.get(1).path("verdict").asText());
            assertTrue(looks.get(1).path("metrics").get(0).path("baselinePoints").isNull(), "live data: no inline points");
            Client.Response bad = c.post("/flagger/gate/replayed", payload.replace("\"10%\"", "7").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
            assertEquals(400, bad.status(), bad.body());
            assertEquals("/metadata/stage", bad.json().path("errors").get(0).path("pointer").asText(), bad.body());
        }
    }

    @Test
    void flaggerPayloadProblemsPointIntoThePayload() {
        Client.Response r = client.post("/flagger/gate/replayed",
            "{\"namespace\": 3, \"metadata\": {\"fixture\": \"a b\", \"name\": \"x\", \"start\": \"soon\"}}".getBytes(),
            Map.of("Content-Type", "application/json"));
        assertEquals(400, r.status(), r.body());
        assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/flagger/gate/{config}", r), r.body());
        Set<String> pointers = new TreeSet<>();
        r.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertEquals(Set.of("/name", "/namespace", "/metadata/name"), pointers, r.body());
        // Once the payload is Flagger's, the window and variables are checked, at pointers into the metadata.
        r = client.post("/flagger/gate/replayed",
            "{\"name\": \"c\", \"namespace\": \"s\", \"metadata\": {\"fixture\": \"a b\", \"start\": \"soon\"}}".getBytes(),
            Map.of("Content-Type", "application/json"));
        pointers.clear();
        r.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertEquals(Set.of("/metadata/fixture", "/metadata/start"), pointers, r.body());

        Client.Response missing = client.post("/flagger/gate/nope", "{}".getBytes(), Map.of("Content-Type", "application/json"));
        assertEquals(404, missing.status());
        assertTrue(missing.json().path("detail").asText().contains("configured: replayed, errors, unreachable, broken"), missing.body());
        assertEquals(405, client.get("/flagger/gate/replayed").status());
    }

    @Test
    void withATokenFlaggerMaySendItInTheMetadataSinceItSendsNoHeaders() {
        try (JudgeServer secured = LiveServers.start(dir.resolve("judge.yaml"), c -> c.withToken("s3cret"))) {
            Client c = new Client(secured.uri());
            String payload = "{\"name\": \"checkout\", \"namespace\": \"shop\", \"metadata\": {\"fixture\": \"" + HEALTHY + "\","
                + " \"start\": \"" + HEALTHY_START + "\", \"end\": \"" + HEALTHY_END + "\"%s}}";
            Map<String, String> json = Map.of("Content-Type", "application/json");
            Client.Response ok = c.post("/flagger/gate/replayed", payload.formatted(", \"token\": \"s3cret\"").getBytes(), json);
            assertEquals(200, ok.status(), ok.body());
            Client.Response header = c.post("/flagger/gate/replayed", payload.formatted("").getBytes(),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer s3cret"));
            assertEquals(200, header.status(), header.body());
            for (String wrong : List.of("", ", \"token\": \"guess\"")) {
                Client.Response r = c.post("/flagger/gate/replayed", payload.formatted(wrong).getBytes(), json);
                assertEquals(401, r.status(), r.body());
                assertEquals(Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/flagger/gate/{config}", r), r.body());
            }
            Client.Response notJson = c.post("/flagger/gate/replayed", "{".getBytes(), json);
            assertEquals(401, notJson.status(), "no parse errors for callers without the token: " + notJson.body());
        }
    }

    @Test
    void sourceQueriesAreCounted() {
        judge("{\"config\": \"unreachable\", \"variables\": {\"fixture\": \"x\"}, \"start\": 0, \"end\": 600}");
        judge("{\"config\": \"replayed\", \"variables\": {\"fixture\": \"" + HEALTHY + "\"}, \"start\": \"" + HEALTHY_START + "\"}");
        String metrics = client.get("/metrics").body();
        for (String series : List.of("canary_judge_source_queries_total{result=\"error\",source=\"down\"}",
            "canary_judge_source_queries_total{result=\"ok\",source=\"prom\"}")) {
            Matcher m = Pattern.compile(Pattern.quote(series) + " (\\d+)").matcher(metrics);
            assertTrue(m.find() && Double.parseDouble(m.group(1)) >= 4, series + " in " + metrics);
        }
        assertTrue(metrics.contains("canary_judge_http_requests_total{endpoint=\"/flagger/gate/{config}\""), "bounded endpoint label");
    }
}
