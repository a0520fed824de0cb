package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.canaryjudge.server.source.RealPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A histogram metric fetched live: a real Prometheus holding a latency histogram (cumulative
 * {@code le} buckets, scraped every 15 s for 70 minutes), queried {@code sum by (le) (increase(…))}.
 */
@Tag("prometheus")
class LiveHistogramTest {

    static final long T0 = 1_717_200_000L;
    static final long START = T0 + 300;
    static final long END = START + 3_600;
    static final double[] BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};
    /** Requests per scrape in each bucket: the baseline's, a healthy canary's, and one whose tail is slow. */
    static final Map<String, long[]> TRACKS = Map.of(
        "baseline", new long[] {500, 1250, 620, 100, 20, 8, 2},
        "canary", new long[] {500, 1250, 620, 100, 20, 8, 2},
        "slow", new long[] {470, 1200, 600, 90, 60, 50, 30});

    @TempDir
    static Path dir;
    static RealPrometheus prometheus;
    static JudgeServer server;
    static Client client;

    static String openMetrics() {
        StringBuilder out = new StringBuilder("# TYPE app_latency_seconds histogram\n");
        TRACKS.forEach((track, perScrape) -> {
            for (long t = T0, i = 1; t <= T0 + 4_200; t += 15, i++) {
                long cumulative = 0;
                for (int k = 0; k <= BOUNDS.length; k++) {
                    cumulative += perScrape[k];
                    String le = k == BOUNDS.length ? "+Inf" : Double.toString(BOUNDS[k]);
                    out.append(String.format(Locale.ROOT, "app_latency_seconds_bucket{track=\"%s\",le=\"%s\"} %d %d%n",
                        track, le, cumulative * i, t));
                }
                out.append(String.format(Locale.ROOT, "app_latency_seconds_count{track=\"%s\"} %d %d%n", track, cumulative * i, t));
                out.append(String.format(Locale.ROOT, "app_latency_seconds_sum{track=\"%s\"} %d %d%n", track, cumulative * i / 10, t));
            }
        });
        return out.append("# EOF\n").toString();
    }

    @BeforeAll
    static void start() throws IOException {
        prometheus = RealPrometheus.start(Files.writeString(dir.resolve("histogram.om.txt"), openMetrics()));
        String query = "'sum by (le) (increase(app_latency_seconds_bucket{track=\"%s\"}[${step}]))'";
        server = LiveServers.start(dir, """
            sources:
              prom: {url: '%s', timeoutSeconds: 5}
            configs:
              latency:
                source: prom
                step: 60s
                metrics:
                  - {name: latency_p99, type: histogram, quantile: 0.99, bounds: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
                     hold: {relative: 0.2}, queries: {baseline: %s, canary: %s}}
              wrongBounds:
                source: prom
                step: 60s
                metrics:
                  - {name: latency_p99, type: histogram, quantile: 0.99, bounds: [0.05, 0.1, 0.3, 0.5, 1, 2.5],
                     hold: {relative: 0.2}, queries: {baseline: %s, canary: %s}}
            """.formatted(prometheus.baseUrl(), query.formatted("baseline"), query.formatted("${track}"),
            query.formatted("baseline"), query.formatted("${track}")));
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(server, prometheus);
    }

    static JsonNode judge(String config, String track) {
        return LiveServers.judgeTrack(client, config, track, START, END).at("/metrics/0");
    }

    @Test
    void cumulativeBucketsBecomeCountsAndASlowTailHolds() {
        JsonNode healthy = judge("latency", "canary");
        // Buckets a factor 2 apart around p99 can never show a +20 % band kept: the reason says so.
        assertEquals("inconclusive", healthy.path("outcome").asText(), healthy.toString());
        assertTrue(healthy.path("reason").asText().contains("the buckets cannot resolve the band"), healthy.toString());
        assertEquals(61 * 4 * 2_500, healthy.at("/canary/requests").asLong(), 61 * 4 * 25, healthy.toString());
        JsonNode slow = judge("latency", "slow");
        assertEquals("hold", slow.path("outcome").asText(), slow.toString());
        assertTrue(slow.path("reason").asText().startsWith("canary p99 is "), slow.toString());
    }

    @Test
    void bucketsThatAreNotTheMetricsBoundsAreAnErrorNamingTheLabel() {
        JsonNode j = judge("wrongBounds", "canary");
        assertEquals("error", j.path("outcome").asText(), j.toString());
        assertTrue(j.path("reason").asText().contains("le=\"0.25\", which is not one of the metric's bounds"), j.toString());
    }
}
