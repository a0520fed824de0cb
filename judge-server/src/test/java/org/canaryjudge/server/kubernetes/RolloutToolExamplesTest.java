package org.canaryjudge.server.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.source.LiveConfiguration;
import org.canaryjudge.server.source.MetricQueries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo Rollouts and Flagger examples under deploy/ fit the judge the Kubernetes manifests
 * deploy: they call the Service's port, name configurations the ConfigMap holds with a data source,
 * and supply every variable those configurations' queries use.
 */
class RolloutToolExamplesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** What Flagger's payload gives every webhook as template variables. */
    private static final Set<String> FLAGGER_VARIABLES = Set.of("name", "namespace", "phase", "checksum");

    /** What a look takes beyond its slowest query: the judge's wait past the client's timeout, and judging. */
    static final long SOURCE_TIMEOUT_MARGIN_SECONDS = 5;

    static Map<String, LiveConfiguration> live;
    static JsonNode service;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        JsonNode configMap = YAML.readTree(DEPLOY.resolve("kubernetes/configmap.yaml").toFile());
        Path judgeYaml = dir.resolve("judge.yaml");
        Files.writeString(judgeYaml, configMap.at("/data/judge.yaml").asText());
        live = ConfigFile.load(judgeYaml).liveConfigurations();
        service = YAML.readTree(DEPLOY.resolve("kubernetes/service.yaml").toFile());
    }

    private static void callsTheService(String url) {
        URI uri = URI.create(url);
        assertTrue(uri.getHost().startsWith(service.at("/metadata/name").asText() + "."), url);
        assertEquals(service.at("/spec/ports/0/port").asInt(), uri.getPort(), url);
    }

    private static void variablesAreSupplied(LiveConfiguration config, Set<String> given) {
        Set<String> supplied = new HashSet<>(given);
        supplied.addAll(config.variables().keySet());
        supplied.add("step");
        for (Map.Entry<String, MetricQueries> q : config.queries().entrySet()) {
            assertTrue(supplied.containsAll(q.getValue().variables()),
                config.name() + "/" + q.getKey() + " uses " + q.getValue().variables() + "; supplied: " + supplied);
        }
    }

    @Test
    void theArgoTemplateNamesALiveConfigurationAndSuppliesItsVariables() throws IOException {
        JsonNode web = YAML.readTree(DEPLOY.resolve("argo-rollouts/analysis-template.yaml").toFile())
            .at("/spec/metrics/0/provider/web");
        callsTheService(web.path("url").asText());
        assertEquals("/judge", URI.create(web.path("url").asText()).getPath());
        LiveConfiguration config = live.get(web.at("/jsonBody/config").asText());
        assertTrue(config != null, "the ConfigMap has " + web.at("/jsonBody/config") + " with a source: " + live.keySet());
        Set<String> given = new HashSet<>();
        web.at("/jsonBody/variables").fieldNames().forEachRemaining(given::add);
        variablesAreSupplied(config, given);
        assertTrue(config.lookback() != null, "Argo sends no start, so the configuration needs a lookback");
    }

    /**
     * The judge runs a look's queries at once, each bounded by the source's timeout (and the judge
     * waits a little longer for the client to give up); judging takes milliseconds. Argo counts an
     * answer later than the template's {@code timeoutSeconds} as a measurement Error, and enough
     * Errors in a row abort the Rollout, whereas a source that times out inside the judge is a
     * {@code hold}, which only pauses it. So the slowest Prometheus must still give a verdict in time.
     */
    @Test
    void aSlowPrometheusBecomesAHoldBeforeArgosTimeoutMakesItAnError() throws IOException {
        JsonNode web = YAML.readTree(DEPLOY.resolve("argo-rollouts/analysis-template.yaml").toFile())
            .at("/spec/metrics/0/provider/web");
        LiveConfiguration config = live.get(web.at("/jsonBody/config").asText());
        long argo = web.path("timeoutSeconds").asLong(10);
        long source = config.source().timeout().toSeconds();
        assertTrue(source + SOURCE_TIMEOUT_MARGIN_SECONDS <= argo, "the source " + config.source().name() + " may take "
            + source + " s per query, plus " + SOURCE_TIMEOUT_MARGIN_SECONDS + " s for the judge; Argo waits " + argo + " s");
    }

    @Test
    void theFlaggerCanaryCallsGatesAndTheRollbackHookOfALiveConfiguration() throws IOException {
        JsonNode hooks = YAML.readTree(DEPLOY.resolve("flagger/canary.yaml").toFile()).at("/spec/analysis/webhooks");
        Map<String, String> endpoints = Map.of("confirm-traffic-increase", "/flagger/gate/", "confirm-promotion", "/flagger/gate/",
            "rollback", "/flagger/rollback/");
        Set<String> types = new HashSet<>();
        boolean personGate = false;
        for (JsonNode hook : hooks) {
            String type = hook.path("type").asText();
            String url = hook.path("url").asText();
            callsTheService(url);
            String path = URI.create(url).getPath();
            assertTrue(hook.at("/metadata/token").isTextual(), "the judge's ConfigMap sets a token, so the hook carries it");
            if (path.equals("/flagger/confirm")) {
                assertEquals("confirm-promotion", type, "a person's approval gates the promotion");
                personGate = true;
                continue;
            }
            types.add(type);
            assertTrue(path.startsWith(endpoints.get(type)), type + " calls " + path);
            LiveConfiguration config = live.get(path.substring(endpoints.get(type).length()));
            assertTrue(config != null, path + " names a configuration with a source: " + live.keySet());
            Set<String> given = new HashSet<>(FLAGGER_VARIABLES);
            hook.path("metadata").fieldNames().forEachRemaining(given::add);
            variablesAreSupplied(config, given);
        }
        assertEquals(endpoints.keySet(), types);
        assertTrue(personGate, "the example shows Flagger's manual gate");
    }
}
