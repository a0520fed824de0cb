package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.source.OpenMetricsRecording;
import org.canaryjudge.server.source.RealPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's credentials reach a real Prometheus that requires them: Prometheus runs with
 * {@code basic_auth_users} in its web configuration; the source with {@code basicAuth} fetches the
 * data, the same source without it is refused (401), which pauses the rollout.
 */
@Tag("prometheus")
class PrometheusAuthTest {

    static final String USER = "judge";
    static final String PASSWORD = "judge-test-password";
    /**
     * The password's bcrypt hash, made with
     * {@code python3 -c "import crypt; print(crypt.crypt('judge-test-password', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1<<10)))"}.
     */
    static final String HASH = "$2b$10$BaZ/09Ful7rPzzw2R1nW4.DcVTdbP9QYK9Vhvzki.eqhPEKsJxTf2";

    @TempDir
    static Path dir;

    static RealPrometheus prometheus;
    static JudgeServer server;
    static Client client;

    @BeforeAll
    static void start() throws IOException {
        prometheus = RealPrometheus.start(OpenMetricsRecording.of(new FixtureReader().read(Path.of("..", "fixtures", LiveDataTest.CRASH))),
            new RealPrometheus.BasicAuth(USER, PASSWORD, HASH));
        Files.writeString(dir.resolve("prom-password.txt"), PASSWORD + "\n");
        String metric = "[{name: error_rate, type: rate, hold: {absolute: 0.01}, rollback: {absolute: 0.05}, queries: "
            + LiveDataTest.ERROR_QUERIES + "}]";
        Files.writeString(dir.resolve("judge.yaml"), """
            sources:
              withAuth: {url: '%1$s', basicAuth: {username: %2$s, passwordFile: prom-password.txt}, headers: {X-Scope-OrgID: team-a}}
              withoutAuth: {url: '%1$s'}
            configs:
              authorized: {source: withAuth, step: 5m, lookback: 1h, metrics: %3$s}
              anonymous: {source: withoutAuth, step: 5m, lookback: 1h, metrics: %3$s}
            """.formatted(prometheus.baseUrl(), USER, metric));
        server = LiveServers.start(dir.resolve("judge.yaml"), c -> c);
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(server, prometheus);
    }

    private static Client.Response judge(String config) {
        return client.postJson("{\"config\": \"" + config + "\", \"variables\": {\"fixture\": \"" + LiveDataTest.CRASH + "\"},"
            + " \"end\": \"2024-05-01T12:30:00Z\"}");
    }

    @Test
    void theSourcesCredentialsOpenPrometheus() {
        Client.Response r = judge("authorized");
        assertEquals("rollback", r.json().path("verdict").asText(), r.body());
    }

    @Test
    void withoutThemPrometheusRefusesAndTheRolloutHolds() {
        Client.Response r = judge("anonymous");
        assertEquals(200, r.status(), r.body());
        assertEquals("hold", r.json().path("verdict").asText(), r.body());
        String reason = r.json().at("/metrics/0/reason").asText();
        assertTrue(reason.startsWith("Prometheus source \"withoutAuth\" answered HTTP 401"), reason);
        assertTrue(!reason.contains(PASSWORD), "no secret in reasons");
    }
}
