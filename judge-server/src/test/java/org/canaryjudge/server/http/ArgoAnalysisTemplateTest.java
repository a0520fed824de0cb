package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.source.OpenMetricsRecording;
import org.canaryjudge.server.source.RealPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed Argo Rollouts {@code AnalysisTemplate} (deploy/argo-rollouts/analysis-template.yaml)
 * against a real server and a real Prometheus: the test sends exactly what the Web metric provider
 * sends — the template's method, headers and {@code jsonBody} with the arguments filled in (the
 * judge runs with a token, which the template takes from a Secret) — reads
 * the template's {@code jsonPath} from the answer and evaluates its success and failure conditions,
 * as Argo's controller would (Argo itself does not run here). Two recorded rollouts stand in for the
 * pods: the stable and canary pod-template hashes are the recordings' {@code baseline} and
 * {@code canary} tracks.
 */
class ArgoAnalysisTemplateTest {

    private static final Path TEMPLATE = Path.of("..", "deploy", "argo-rollouts", "analysis-template.yaml");
    private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_-]+)\\s*}}");
    private static final Pattern JSON_PATH = Pattern.compile("\\{\\$\\.([A-Za-z]+)}");
    private static final Pattern CONDITION = Pattern.compile("result == \"([a-z]+)\"");

    private static final String TOKEN = "s3cret-for-argo";

    @TempDir
    static Path dir;

    static RealPrometheus prometheus;
    static JudgeServer healthy;
    static JudgeServer crashing;
    static JsonNode metric;

    /** The judge's configuration as a user would write it, with the recordings' series names. */
    static JudgeServer server(String fixture) throws IOException {
        String q = "sum(increase(fixture_error_rate_%s_total{fixture=\"${fixture}\",track=\"${%s}\"}[${step}]))";
        String yaml = """
            sources:
              prom: {url: '%s'}
            configs:
              checkout-live:
                source: prom
                step: 5m
                lookback: 2h
                variables: {fixture: %s}
                metrics:
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.005}
                    rollback: {absolute: 0.02}
                    queries:
                      baseline: {errors: '%s', requests: '%s'}
                      canary: {errors: '%s', requests: '%s'}
            """.formatted(prometheus.baseUrl(), fixture, q.formatted("errors", "stable"), q.formatted("requests", "stable"),
            q.formatted("errors", "canary"), q.formatted("requests", "canary"));
        Path file = dir.resolve(fixture + ".yaml");
        Files.writeString(file, yaml);
        return LiveServers.start(file, c -> c.withToken(TOKEN));
    }

    @BeforeAll
    static void start() throws IOException {
        FixtureReader reader = new FixtureReader();
        prometheus = RealPrometheus.start(OpenMetricsRecording.of(reader.read(Path.of("..", "fixtures", LiveDataTest.HEALTHY)),
            reader.read(Path.of("..", "fixtures", LiveDataTest.CRASH))));
        healthy = server(LiveDataTest.HEALTHY);
        crashing = server(LiveDataTest.CRASH);
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
        assertEquals("AnalysisTemplate", template.path("kind").asText());
        metric = template.at("/spec/metrics/0");
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(healthy, crashing, prometheus);
    }

    /** One measurement: the provider's request, the jsonPath's result, and Argo's phase for it. */
    private static String measure(JudgeServer server, Map<String, String> args) throws Exception {
        JsonNode web = metric.at("/provider/web");
        Map<String, String> values = new HashMap<>();
        for (JsonNode arg : templateArgs()) {
            if (arg.has("value")) {
                values.put(arg.get("name").asText(), arg.get("value").asText());
            }
        }
        values.putAll(args);
        String body = fill(new ObjectMapper().writeValueAsString(web.get("jsonBody")), values);
        URI configured = URI.create(web.path("url").asText());
        assertEquals("/judge", configured.getPath());
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(configured.getPath()))
            .method(web.path("method").asText(), HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> headers = new LinkedHashMap<>();
        web.path("headers").forEach(h -> headers.put(h.path("key").asText(), fill(h.path("value").asText(), values)));
        Client.Response r = new Client(server.uri()).send(request, headers);
        assertEquals(200, r.status(), r.body());

        Matcher path = JSON_PATH.matcher(web.path("jsonPath").asText());
        assertTrue(path.matches(), "a jsonPath this test can evaluate: " + web.path("jsonPath"));
        String result = r.json().path(path.group(1)).asText();
        if (condition("successCondition").equals(result)) {
            return "Successful";
        }
        if (condition("failureCondition").equals(result)) {
            return "Failed";
        }
        return "Inconclusive";
    }

    private static Iterable<JsonNode> templateArgs() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile()).at("/spec/args");
    }

    private static String condition(String field) {
        Matcher m = CONDITION.matcher(metric.path(field).asText());
        assertTrue(m.matches(), field + " in a form this test can evaluate: " + metric.path(field));
        return m.group(1);
    }

    private static String fill(String text, Map<String, String> args) {
        Matcher m = ARG.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1));
            assertTrue(value != null, "the template uses {{args." + m.group(1) + "}}, which has no value");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static Map<String, String> hashes(String end) {
        return Map.of("canary-hash", "canary", "stable-hash", "baseline", "end", end, "judge-token", TOKEN);
    }

    @Test
    void aHealthyCanaryIsSuccessfulOnceTheDataShowIt() throws Exception {
        assertEquals("Successful", measure(healthy, hashes("2024-05-01T13:55:00Z")));
    }

    @Test
    void aCrashLoopingCanaryFailsTheAnalysisAtTheFirstLook() throws Exception {
        assertEquals("Failed", measure(crashing, hashes("2024-05-01T12:00:00Z")));
    }

    @Test
    void withoutDataYetTheMeasurementIsInconclusiveSoTheRolloutWaits() throws Exception {
        assertEquals("Inconclusive", measure(healthy, hashes("2024-05-01T09:00:00Z")));
    }

    @Test
    void withoutTheTokenTheJudgeRefusesTheMeasurement() {
        Map<String, String> args = new HashMap<>(hashes("2024-05-01T13:55:00Z"));
        args.put("judge-token", "wrong");
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> measure(healthy, args));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
    }

    @Test
    void theTemplatesDefaultsAreWhatTheDocsSay() {
        assertEquals("now", templateDefault("end"));
        assertEquals(0, metric.path("failureLimit").asInt(), "the first rollback verdict fails the analysis");
        assertTrue(metric.path("inconclusiveLimit").asInt() >= metric.path("count").asInt(),
            "hold verdicts alone never end the analysis early");
        assertEquals("POST", metric.at("/provider/web/method").asText());
    }

    private static String templateDefault(String name) {
        try {
            for (JsonNode arg : templateArgs()) {
                if (arg.path("name").asText().equals(name)) {
                    return arg.path("value").asText(null);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }
}
