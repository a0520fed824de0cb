package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.source.OpenMetricsRecording;
import org.canaryjudge.server.source.RealPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
@Tag("prometheus")
class ArgoAnalysisTemplateTest {

    private static final Path TEMPLATE = Path.of("..", "deploy", "argo-rollouts", "analysis-template.yaml");
    private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_-]+)\\s*}}");
    private static final Pattern JSON_PATH = Pattern.compile("\\{\\$\\.([A-Za-z]+)}");
    private static final Pattern CONDITION = Pattern.compile("result == \"([a-z]+)\"");

    private static final String TOKEN = "s3cret-for-argo";

    private static final String SUCCESSFUL = "Successful";
    private static final String FAILED = "Failed";
    private static final String INCONCLUSIVE = "Inconclusive";
    private static final String ERROR = "Error";
    private static final String RUNNING = "Running";
    /** Argo's DefaultConsecutiveErrorLimit and DefaultErrorRetryInterval. */
    static final int ARGO_DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    static final Duration ARGO_ERROR_RETRY = Duration.ofSeconds(10);
    /** A judge pod rescheduled onto another node: image pull, start, readiness (docs/integrations.md). */
    static final Duration JUDGE_RESTART_BUDGET = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static RealPrometheus prometheus;
    static JudgeServer healthy;
    static JudgeServer crashing;
    static ObjectNode metric;

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
        metric = (ObjectNode) template.at("/spec/metrics/0");
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(healthy, crashing, prometheus);
    }

    /** One measurement: the provider's request, the jsonPath's result, and Argo's phase for it. */
    private static String measure(JudgeServer server, Map<String, String> args) throws Exception {
        Client.Response r = send(server, args);
        assertEquals(200, r.status(), r.body());
        return phase(r);
    }

    /**
     * Sends what Argo's Web provider sends: the template's metric with every {@code {{args.*}}}
     * resolved, then its method, headers and {@code jsonBody}.
     */
    private static Client.Response send(JudgeServer server, Map<String, String> args) throws Exception {
        JsonNode web = resolved(args).at("/provider/web");
        String body = JSON.writeValueAsString(web.get("jsonBody"));
        URI configured = URI.create(web.path("url").asText());
        assertEquals("/judge", configured.getPath());
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(configured.getPath()))
            .method(web.path("method").asText(), HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> headers = new LinkedHashMap<>();
        web.path("headers").forEach(h -> headers.put(h.path("key").asText(), h.path("value").asText()));
        return new Client(server.uri()).send(request, headers);
    }

    /** Argo's phase for an answer: the template's jsonPath, then its success and failure conditions. */
    private static String phase(Client.Response r) {
        Matcher path = JSON_PATH.matcher(metric.at("/provider/web/jsonPath").asText());
        assertTrue(path.matches(), "a jsonPath this test can evaluate: " + metric.at("/provider/web/jsonPath"));
        String result = r.json().path(path.group(1)).asText();
        if (condition("successCondition").equals(result)) {
            return SUCCESSFUL;
        }
        if (condition("failureCondition").equals(result)) {
            return FAILED;
        }
        return INCONCLUSIVE;
    }

    /**
     * The metric as Argo's controller resolves it before measuring: the whole metric written as JSON,
     * each {@code {{args.NAME}}} replaced by the argument's value escaped as inside a JSON string (Go's
     * {@code strconv.Quote} without the quotes, which is what Argo's {@code ResolveQuotedArgs} does),
     * and the text read back as JSON.
     */
    static JsonNode resolved(Map<String, String> args) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (JsonNode arg : templateArgs()) {
            if (arg.has("value")) {
                values.put(arg.get("name").asText(), arg.get("value").asText());
            }
        }
        values.putAll(args);
        return JSON.readTree(fill(JSON.writeValueAsString(metric), values));
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
            m.appendReplacement(out, Matcher.quoteReplacement(quoted(value)));
        }
        return m.appendTail(out).toString();
    }

    /** Go's {@code strconv.Quote(value)} without its surrounding quotes, for ASCII control characters and quotes. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\u0007' -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u000b' -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static Map<String, String> hashes(String end) {
        return Map.of("canary-hash", "canary", "stable-hash", "baseline", "end", end, "judge-token", TOKEN);
    }

    @Test
    void aHealthyCanaryIsSuccessfulOnceTheDataShowIt() throws Exception {
        assertEquals(SUCCESSFUL, measure(healthy, hashes("2024-05-01T13:55:00Z")));
    }

    @Test
    void aCrashLoopingCanaryFailsTheAnalysisAtTheFirstLook() throws Exception {
        assertEquals(FAILED, measure(crashing, hashes("2024-05-01T12:00:00Z")));
    }

    @Test
    void withoutDataYetTheMeasurementIsInconclusiveSoTheRolloutWaits() throws Exception {
        assertEquals(INCONCLUSIVE, measure(healthy, hashes("2024-05-01T09:00:00Z")));
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
        assertEquals(metric.path("count").asInt(), metric.path("inconclusiveLimit").asInt(),
            "hold verdicts alone never end the analysis before its last look");
        assertEquals("POST", metric.at("/provider/web/method").asText());
    }

    @Test
    void argoAcceptsTheTemplatesLimits() {
        assertEquals(List.of(), argoValidation(metric));
        // What the previous check (inconclusiveLimit >= count) let through, and Argo rejects.
        ObjectNode tooManyHolds = metric.deepCopy().put("inconclusiveLimit", metric.path("count").asInt() + 1);
        assertEquals(List.of("count must be >= inconclusiveLimit"), argoValidation(tooManyHolds));
    }

    /**
     * Argo's rules for a metric's limits (ValidateMetric in its utils/analysis), for the fields this
     * template uses: the messages a controller gives when it refuses the AnalysisRun.
     */
    static List<String> argoValidation(JsonNode m) {
        int count = m.path("count").asInt(0);
        int failureLimit = m.path("failureLimit").asInt(0);
        int successLimit = m.path("consecutiveSuccessLimit").asInt(0);
        int inconclusiveLimit = m.path("inconclusiveLimit").asInt(0);
        List<String> problems = new ArrayList<>();
        if (successLimit < 0) {
            problems.add("consecutiveSuccessLimit must be >= 0");
        }
        if (failureLimit < -1) {
            problems.add("failureLimit must be >= 0, or -1 to be disabled");
        }
        if (successLimit == 0 && failureLimit == -1) {
            problems.add("failureLimit and consecutiveSuccessLimit cannot both be disabled");
        }
        if (inconclusiveLimit < 0) {
            problems.add("inconclusiveLimit must be >= 0");
        }
        if (m.has("consecutiveErrorLimit") && m.path("consecutiveErrorLimit").asInt() < 0) {
            problems.add("consecutiveErrorLimit must be >= 0");
        }
        if (count > 0) {
            if (failureLimit >= 0 && count < failureLimit + successLimit) {
                problems.add("count must be >= failureLimit + consecutiveSuccessLimit");
            } else if (failureLimit < 0 && count < successLimit) {
                problems.add("count must be >= consecutiveSuccessLimit");
            }
            if (count < inconclusiveLimit) {
                problems.add("count must be >= inconclusiveLimit");
            }
        }
        if (count > 1 && m.path("interval").asText("").isEmpty()) {
            problems.add("interval must be specified when count > 1");
        }
        return problems;
    }

    /**
     * The metric's phase after a run of measurement phases, by Argo's assessment (assessMetricStatus
     * in its analysis controller): too many failures, inconclusives or errors in a row first, then
     * consecutiveSuccessLimit, then the count. Errors do not count towards the count; Argo retries
     * an Error 10 s after it, a result after the metric's interval.
     */
    static String argoAssessment(JsonNode m, List<String> measurements) {
        int failed = 0;
        int inconclusive = 0;
        int consecutiveErrors = 0;
        int consecutiveSuccess = 0;
        int count = 0;
        int errorLimit = m.path("consecutiveErrorLimit").asInt(ARGO_DEFAULT_CONSECUTIVE_ERROR_LIMIT);
        int successLimit = m.path("consecutiveSuccessLimit").asInt(0);
        for (String phase : measurements) {
            switch (phase) {
                case SUCCESSFUL -> {
                    count++;
                    consecutiveSuccess++;
                    consecutiveErrors = 0;
                }
                case FAILED -> {
                    count++;
                    failed++;
                    consecutiveSuccess = 0;
                    consecutiveErrors = 0;
                }
                case INCONCLUSIVE -> {
                    count++;
                    inconclusive++;
                    consecutiveSuccess = 0;
                    consecutiveErrors = 0;
                }
                case ERROR -> {
                    consecutiveErrors++;
                    consecutiveSuccess = 0;
                }
                default -> throw new IllegalArgumentException(phase);
            }
            String done = null;
            if (failed > m.path("failureLimit").asInt(0)) {
                done = FAILED;
            }
            if (inconclusive > m.path("inconclusiveLimit").asInt(0)) {
                done = INCONCLUSIVE;
            }
            if (consecutiveErrors > errorLimit) {
                done = ERROR;
            }
            if (done == null && successLimit > 0 && consecutiveSuccess >= successLimit) {
                done = SUCCESSFUL;
            }
            if (done == null && m.has("count") && count >= m.path("count").asInt()) {
                done = successLimit > 0 ? INCONCLUSIVE : SUCCESSFUL;
            }
            if (done != null) {
                return done;
            }
        }
        return RUNNING;
    }

    @Test
    void holdsAloneNeverEndTheStepSuccessfully() {
        int count = metric.path("count").asInt();
        assertEquals(INCONCLUSIVE, argoAssessment(metric, Collections.nCopies(count, INCONCLUSIVE)),
            "a step of holds ends Inconclusive, which pauses the Rollout for a person");
        assertEquals(SUCCESSFUL, argoAssessment(metric, List.of(INCONCLUSIVE, SUCCESSFUL, INCONCLUSIVE, SUCCESSFUL, SUCCESSFUL)));
        assertEquals(FAILED, argoAssessment(metric, List.of(INCONCLUSIVE, SUCCESSFUL, FAILED)));
    }

    @Test
    void anOlderControllerWithoutConsecutiveSuccessLimitWouldAdvanceOnHoldsWhichIsWhyTheFallbackDiffers() {
        ObjectNode pruned = metric.deepCopy();
        pruned.remove("consecutiveSuccessLimit");
        assertEquals(SUCCESSFUL, argoAssessment(pruned, Collections.nCopies(metric.path("count").asInt(), INCONCLUSIVE)),
            "the committed template on Argo < 1.8: holds end the step Successful (the warning in the template)");

        ObjectNode invalidFallback = pruned.deepCopy().put("count", 1);
        assertEquals(List.of("count must be >= inconclusiveLimit"), argoValidation(invalidFallback));

        ObjectNode fallback = invalidFallback.deepCopy().put("inconclusiveLimit", 0);
        fallback.remove("interval");
        assertEquals(List.of(), argoValidation(fallback));
        assertEquals(SUCCESSFUL, argoAssessment(fallback, List.of(SUCCESSFUL)));
        assertEquals(INCONCLUSIVE, argoAssessment(fallback, List.of(INCONCLUSIVE)), "a hold pauses the Rollout");
        assertEquals(FAILED, argoAssessment(fallback, List.of(FAILED)));
    }

    @Test
    void judgeErrorsForFiveMinutesDoNotAbortTheRollout() {
        int limit = metric.path("consecutiveErrorLimit").asInt(ARGO_DEFAULT_CONSECUTIVE_ERROR_LIMIT);
        assertTrue(limit * ARGO_ERROR_RETRY.toSeconds() >= JUDGE_RESTART_BUDGET.toSeconds(),
            limit + " errors in a row, " + ARGO_ERROR_RETRY.toSeconds() + " s apart, must outlast a judge restart of "
                + JUDGE_RESTART_BUDGET.toMinutes() + " minutes");
        List<String> outage = new ArrayList<>(Collections.nCopies(limit, ERROR));
        assertEquals(RUNNING, argoAssessment(metric, outage));
        outage.add(SUCCESSFUL);
        outage.add(SUCCESSFUL);
        assertEquals(SUCCESSFUL, argoAssessment(metric, outage), "after the judge is back, the analysis goes on");
        assertEquals(ERROR, argoAssessment(metric, Collections.nCopies(limit + 1, ERROR)),
            "a lasting failure (a wrong token) still ends the analysis");
        ObjectNode defaults = metric.deepCopy();
        defaults.remove("consecutiveErrorLimit");
        assertEquals(ERROR, argoAssessment(defaults, Collections.nCopies(ARGO_DEFAULT_CONSECUTIVE_ERROR_LIMIT + 1, ERROR)),
            "Argo's default of 4 would abort after 5 errors, about 40 s");
    }

    @Test
    void argumentsAreEscapedAsArgoDoesSoAQuoteInAHashCannotBreakTheBody() throws Exception {
        Map<String, String> args = new HashMap<>(hashes("2024-05-01T13:55:00Z"));
        args.put("canary-hash", "can\"ary\\x\n");
        JsonNode body = resolved(args).at("/provider/web/jsonBody");
        assertEquals("can\"ary\\x\n", body.at("/variables/canary").asText(), "the judge receives the value as given");
        Client.Response r = send(healthy, args);
        assertEquals(400, r.status(), "no data under that hash: the judge refuses the variable; " + r.body());
    }

    /**
     * {@code end: now} is never on the step grid. This configuration's queries are
     * {@code increase(x[${step}])} over counters sampled once per step (the recording's, like a
     * scrape interval equal to the step): a window ending between two samples would hold only one,
     * and every look would be nodata. The judge moves the window onto the step's grid, so unaligned
     * ends reach the verdicts of the aligned ones.
     */
    @Test
    void unalignedEndsAreMovedOntoTheStepGridAndReachTheirVerdicts() throws Exception {
        for (String end : List.of("2024-05-01T13:55:01Z", "2024-05-01T13:57:30Z", "2024-05-01T13:59:59Z")) {
            assertEquals(SUCCESSFUL, measure(healthy, hashes(end)), end);
        }
        assertEquals(SUCCESSFUL, measure(healthy, hashes("2024-05-01T13:55:00Z")), "the end on the grid");
        assertEquals(FAILED, measure(crashing, hashes("2024-05-01T12:02:30Z")), "rolled back from an unaligned end too");
        assertEquals(FAILED, measure(crashing, hashes("2024-05-01T12:00:00Z")));
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
