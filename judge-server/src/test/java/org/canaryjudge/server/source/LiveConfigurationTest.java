package org.canaryjudge.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.config.ConfigException;
import org.canaryjudge.server.config.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sources:} block and live configurations, read through the real configuration loader. */
class LiveConfigurationTest {

    @TempDir
    Path dir;

    private ConfigFile load(String yaml) throws IOException {
        Path file = dir.resolve("judge.yaml");
        Files.writeString(file, yaml);
        return ConfigFile.load(file);
    }

    private List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        return e.violations().stream().map(v -> v.path() + ": " + v.message()).toList();
    }

    static final String LIVE = """
        sources:
          prom:
            url: http://127.0.0.1:9090/prometheus/
            timeoutSeconds: 3
            bearerTokenFile: prom-token.txt
            headers: {X-Scope-OrgID: team-a}
        configs:
          checkout:
            source: prom
            step: 30s
            lookback: 1h
            variables: {app: checkout}
            metrics:
              - name: latency_p95_ms
                hold: {relative: 0.10}
                queries:
                  baseline: 'p95{app="${app}",track="stable"}'
                  canary: 'p95{app="${app}",track="${canary}"}'
              - name: error_rate
                type: rate
                hold: {absolute: 0.005}
                queries:
                  baseline: {errors: 'sum(increase(e_total{track="stable"}[${step}]))', requests: 'sum(increase(r_total{track="stable"}[${step}]))'}
                  canary: {errors: 'sum(increase(e_total{track="canary"}[${step}]))', requests: 'sum(increase(r_total{track="canary"}[${step}]))'}
          offline:
            metrics: [{name: cpu, hold: {absolute: 0.1}}]
        """;

    @Test
    void readsSourcesAndLiveConfigurations() throws IOException {
        Files.writeString(dir.resolve("prom-token.txt"), "s3cret\n");
        ConfigFile file = load(LIVE);
        assertEquals(List.of("checkout", "offline"), List.copyOf(file.configurations().keySet()));
        assertEquals(List.of("checkout"), List.copyOf(file.liveConfigurations().keySet()));
        LiveConfiguration live = file.liveConfigurations().get("checkout");
        assertEquals("prom", live.source().name());
        assertEquals("http://127.0.0.1:9090/prometheus/", live.source().url().toString());
        assertEquals(Duration.ofSeconds(3), live.source().timeout());
        assertEquals("Bearer s3cret", live.source().authorization());
        assertFalse(live.source().toString().contains("s3cret"), "credentials never printed");
        assertEquals("team-a", live.source().headers().get("X-Scope-OrgID"));
        assertEquals(Duration.ofSeconds(30), live.step());
        assertEquals(Duration.ofHours(1), live.lookback());
        assertEquals("checkout", live.variables().get("app"));
        assertEquals(MetricType.RATE, live.queries().get("error_rate").type());
        assertEquals(List.of("app", "canary"), List.copyOf(live.queries().get("latency_p95_ms").variables()));
        // The specification the request reader sees has no live fields left.
        assertFalse(file.configurations().get("checkout").has("source"));
        assertFalse(file.configurations().get("checkout").at("/metrics/0").has("queries"));
    }

    @Test
    void basicAuthReadsItsPasswordFile() throws IOException {
        Files.writeString(dir.resolve("pw"), "hunter2");
        List<Violation> v = new ArrayList<>();
        var sources = SourceSettings.parseAll(new ObjectMapper(new YAMLFactory()).readTree(
            "prom: {url: 'https://prom.example:9090', basicAuth: {username: judge, passwordFile: pw}}"), dir, v);
        assertTrue(v.isEmpty(), v.toString());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("judge:hunter2".getBytes()), sources.get("prom").authorization());
        assertEquals(SourceSettings.DEFAULT_TIMEOUT, sources.get("prom").timeout());
    }

    @Test
    void everyProblemIsReportedAtItsPointer() {
        List<String> p = problems("""
            sources:
              prom:
                type: graphite
                url: ftp://prom:9090?x=1
                timeoutSeconds: 0
                bearerTokenFile: missing.txt
                basicAuth: {username: a}
                headers: {Authorization: x, Good-Header: "line\\nbreak"}
              9bad: {url: http://x}
            configs:
              a:
                source: nowhere
                step: 1.5m
                variables: {app: 'x"}', 1x: y, step: 10s}
                metrics:
                  - {name: lat, hold: {relative: 0.1}}
                  - {name: err, type: rate, hold: {absolute: 0.01}, queries: {baseline: 'q', canary: {errors: 'e'}}}
                  - {name: lat2, hold: {relative: 0.1}, queries: {baseline: 'q{a="${x"}', canary: {values: q}}}
              b:
                lookback: 10m
                metrics:
                  - {name: cpu, hold: {absolute: 0.1}, queries: {baseline: q, canary: q}}
            """);
        for (String pointer : List.of("/sources/prom/type", "/sources/prom/url", "/sources/prom/timeoutSeconds",
            "/sources/prom/bearerTokenFile", "/sources/prom/basicAuth", "/sources/prom/basicAuth/passwordFile",
            "/sources/prom/headers/Authorization", "/sources/prom/headers/Good-Header", "/sources/9bad",
            "/configs/a/source", "/configs/a/step", "/configs/a/variables/app", "/configs/a/variables/1x",
            "/configs/a/variables/step", "/configs/a/metrics/0/queries", "/configs/a/metrics/1/queries/baseline",
            "/configs/a/metrics/1/queries/canary/requests", "/configs/a/metrics/2/queries/baseline",
            "/configs/a/metrics/2/queries/canary", "/configs/b/lookback", "/configs/b/metrics/0/queries")) {
            assertTrue(p.stream().anyMatch(s -> s.startsWith(pointer + ": ")), pointer + " in " + String.join("\n", p));
        }
        assertFalse(p.stream().anyMatch(s -> s.contains("unknown field")), "live fields are not also reported as unknown: " + p);
    }
}
