package org.canaryjudge.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.canaryjudge.server.config.ConfigFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remembered rollout's first look is the default start of live data, in place of the lookback. */
class RolloutStartTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path dir;

    LiveData live;

    @BeforeEach
    void load() throws IOException {
        Files.writeString(dir.resolve("prom-token.txt"), "s3cret\n");
        Path file = dir.resolve("judge.yaml");
        Files.writeString(file, LiveConfigurationTest.LIVE);
        live = new LiveData(ConfigFile.load(file).liveConfigurations(), Clock.fixed(NOW, ZoneOffset.UTC), (source, result) -> { });
    }

    TimeWindow window(String request, Instant rolloutStart) throws IOException {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(request);
        LiveData.Fetch fetch = live.prepare(root, rolloutStart);
        assertEquals(List.of(), fetch.violations());
        return fetch.window();
    }

    @Test
    void theFirstLookIsTheStartWhenTheRequestSendsNone() throws IOException {
        String request = "{\"config\": \"checkout\", \"variables\": {\"canary\": \"v2\"}}";
        assertEquals(NOW.minus(Duration.ofHours(1)), window(request, null).start(), "no rollout: the lookback");
        assertEquals(NOW.minus(Duration.ofHours(3)), window(request, NOW.minus(Duration.ofHours(3))).start(),
            "a rollout older than the lookback is judged from its first look");
        assertEquals(NOW.minusSeconds(600), window(request, NOW.minusSeconds(600).minusMillis(250)).start(),
            "on the step's grid");
        assertEquals(NOW.minusSeconds(30), window(request, NOW.minusSeconds(5)).start(), "at least one step back");
    }

    @Test
    void aStartInTheRequestWinsAndAnEndBeforeTheFirstLookKeepsTheLookback() throws IOException {
        Instant first = NOW.minus(Duration.ofHours(3));
        assertEquals(NOW.minusSeconds(300), window("{\"config\": \"checkout\", \"variables\": {\"canary\": \"v2\"}, \"start\": \""
            + NOW.minusSeconds(300) + "\"}", first).start());
        Instant end = Instant.parse("2024-05-01T13:00:00Z");
        assertEquals(end.minus(Duration.ofHours(1)), window("{\"config\": \"checkout\", \"variables\": {\"canary\": \"v2\"}, \"end\": \""
            + end + "\"}", first).start(), "a replay of the past is not cut to a rollout that began later");
    }
}
