package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.source.LiveData;
import org.canaryjudge.server.source.OpenMetricsRecording;
import org.canaryjudge.server.source.RealPrometheus;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage windows from the ledger for live data: the recorded {@code checkout-rewrite-25pct} rollout
 * (1 % for 30 minutes, 5 % for 30, then 25 %, where p99 and errors drift up) in a real Prometheus,
 * looked at every 5 minutes by a rollout tool that sends only the configuration and the rollout,
 * with the server's clock set to each look's time. Judged over the whole rollout alone, the young
 * drift is outweighed by an hour of clean data and the judge promotes early in the 25 % stage;
 * with the stage window the 25 % stage must show its own evidence first.
 */
@Tag("prometheus")
class LiveStagesTest {

    static final String FIXTURE = "checkout-rewrite-25pct";
    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A clock the test moves from look to look. */
    static final class LookClock extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theWiderStageIsJudgedOnItsOwnDataAndDoesNotPromoteOnTheCleanHourBeforeIt() throws IOException {
        Fixture fixture = new FixtureReader().read(Path.of("..", "fixtures", FIXTURE));
        try (RealPrometheus prometheus = RealPrometheus.start(OpenMetricsRecording.of(fixture));
             RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"))) {
            Path file = dir.resolve("judge.yaml");
            Files.writeString(file, """
                sources:
                  prom: {url: '%s', timeoutSeconds: 5}
                configs:
                  checkout:
                    source: prom
                    step: 1m
                    lookback: 3h
                    metrics:
                      - name: latency_p99_ms
                        hold: {relative: 0.1}
                        rollback: {relative: 0.5}
                        queries: %s
                """.formatted(prometheus.baseUrl(), LiveDataTest.LATENCY_QUERIES));
            ConfigFile config = ConfigFile.load(file);
            LookClock clock = new LookClock();
            JsonJudge judge = new JsonJudge(new RequestReader(config.configurations()),
                new LiveData(config.liveConfigurations(), clock, (source, result) -> { }));
            Ledger ledger = new Ledger(judge, new JudgementWriter(false), store, clock);

            List<String> staged = new ArrayList<>();
            List<String> whole = new ArrayList<>();
            JsonNode lastStaged = null;
            for (int look = 1; look <= 36; look++) {
                clock.now = START.plusSeconds(300L * look);
                long minutes = 5L * look;
                String stage = minutes <= 30 ? "1%" : minutes <= 60 ? "5%" : "25%";
                lastStaged = JSON.readTree(ledger.judge(body("staged", stage)).body());
                staged.add(lastStaged.path("verdict").asText());
                whole.add(JSON.readTree(ledger.judge(body("whole", null)).body()).path("verdict").asText());
            }
            System.out.println("LiveStagesTest: looks 13-24 with stages " + staged.subList(12, 24) + "; whole window only "
                + whole.subList(12, 24));
            // Looks 13 on are in the 25 % stage (from minute 65).
            assertFalse(staged.subList(12, 36).contains("promote"), "the 25 % stage never promoted on its own evidence: " + staged);
            assertTrue(whole.subList(12, 36).contains("promote"), "without stages the clean hour outweighs the drift: " + whole);
            JsonNode stage = lastStaged.path("metrics").get(0).path("stage");
            assertEquals("25%", stage.path("name").asText(), lastStaged.toString());
            // Minutes 65 to 180 at one-minute steps: the 25 % stage's own points.
            assertEquals(116, stage.path("canary").path("n").asInt(), stage.toString());
        }
    }

    private static byte[] body(String id, String stage) {
        String rollout = stage == null ? "{\"id\": \"" + id + "\"}" : "{\"id\": \"" + id + "\", \"stage\": \"" + stage + "\"}";
        return ("{\"config\": \"checkout\", \"variables\": {\"fixture\": \"" + FIXTURE + "\"}, \"rollout\": " + rollout + "}")
            .getBytes(StandardCharsets.UTF_8);
    }
}
