package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import org.canaryjudge.server.source.RealPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults a real Prometheus produces — NaN samples, gaps in a series, a series that is not
 * there — through Debian's Prometheus with data imported by promtool, judged by a real server.
 * Every track is scraped every 15 s for 70 minutes; requests are counted by {@code code}.
 */
@Tag("prometheus")
class RealPrometheusFaultsTest {

    static final long T0 = 1_717_200_000L;
    static final long START = T0 + 300;
    static final long END = START + 3_600;

    @TempDir
    static Path dir;
    static RealPrometheus prometheus;
    static JudgeServer server;
    static Client client;

    /** One scraped track: which minutes are NaN or absent, for the gauge and for the 5xx counter. */
    record Track(String name, LongPredicate gaugeNaN, LongPredicate absent, LongPredicate errorsNaN, boolean has5xx) {
    }

    static final List<Track> TRACKS = List.of(
        new Track("baseline", m -> false, m -> false, m -> false, true),
        new Track("canary", m -> false, m -> false, m -> false, true),
        new Track("canary_nan", m -> m % 2 == 1, m -> false, m -> false, true),
        new Track("canary_gap", m -> false, m -> m >= 20 && m < 50, m -> false, true),
        new Track("canary_errnan", m -> false, m -> false, m -> m % 2 == 1, true),
        new Track("canary_no5xx", m -> false, m -> false, m -> false, false));

    static String openMetrics() {
        StringBuilder gauge = new StringBuilder("# TYPE app_latency_ms gauge\n");
        StringBuilder counter = new StringBuilder("# TYPE app_requests counter\n");
        for (Track track : TRACKS) {
            StringBuilder ok = new StringBuilder();
            StringBuilder failed = new StringBuilder();
            for (long t = T0, i = 0; t <= T0 + 4_200; t += 15, i++) {
                long minute = (t - T0) / 60;
                if (track.absent().test(minute)) {
                    continue;
                }
                String value = track.gaugeNaN().test(minute) ? "NaN"
                    : String.format(Locale.ROOT, "%.1f", 100 + (i * 37 % 11 - 5) * 0.5);
                gauge.append("app_latency_ms{track=\"").append(track.name()).append("\"} ").append(value).append(' ').append(t).append('\n');
                ok.append("app_requests_total{track=\"").append(track.name()).append("\",code=\"200\"} ").append(2_500 * i)
                    .append(' ').append(t).append('\n');
                String errors = track.errorsNaN().test(minute) ? "NaN" : Long.toString(3 * i);
                failed.append("app_requests_total{track=\"").append(track.name()).append("\",code=\"500\"} ").append(errors)
                    .append(' ').append(t).append('\n');
            }
            counter.append(ok);
            if (track.has5xx()) {
                counter.append(failed);
            }
        }
        return gauge.append(counter).append("# EOF\n").toString();
    }

    @BeforeAll
    static void start() throws IOException {
        Path recording = Files.writeString(dir.resolve("faults.om.txt"), openMetrics());
        prometheus = RealPrometheus.start(recording);
        String errors = "'sum(increase(app_requests_total{track=\"%s\",code=~\"5..\"}[${step}]))'";
        String requests = "'sum(increase(%s{track=\"%s\"}[${step}]))'";
        String byCode = "'sum by (code) (increase(%s{track=\"%s\"}[${step}]))'";
        String yaml = """
            sources:
              prom: {url: '%s', timeoutSeconds: 5}
            configs:
              twoQueries:
                source: prom
                step: 60s
                metrics:
                  - name: latency_ms
                    hold: {relative: 0.1}
                    queries: {baseline: 'app_latency_ms{track="baseline"}', canary: 'app_latency_ms{track="${track}"}'}
                  - name: error_rate
                    type: rate
                    hold: {absolute: 0.005}
                    queries:
                      baseline: {errors: %s, requests: %s}
                      canary: {errors: %s, requests: %s}
              %s
              %s
              %s
            """.formatted(prometheus.baseUrl(),
            errors.formatted("baseline"), requests.formatted("app_requests_total", "baseline"),
            errors.formatted("${track}"), requests.formatted("app_requests_total", "${track}"),
            LiveYaml.errorRate("byCode", "prom", LiveYaml.byCode(byCode.formatted("app_requests_total", "baseline"),
                byCode.formatted("app_requests_total", "${track}"))),
            LiveYaml.errorRate("typo", "prom", LiveYaml.twoQueries("", errors.formatted("baseline"),
                requests.formatted("app_requests_total", "baseline"),
                "'sum(increase(app_requets_total{track=\"${track}\",code=~\"5..\"}[${step}]))'",
                requests.formatted("app_requests_total", "${track}"))),
            LiveYaml.errorRate("typoByCode", "prom", LiveYaml.byCode(byCode.formatted("app_requests_total", "baseline"),
                byCode.formatted("app_requets_total", "${track}"))));
        server = LiveServers.start(dir, yaml);
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        LiveServers.closeAll(server, prometheus);
    }

    static JsonNode judge(String config, String track) {
        return LiveServers.judgeTrack(client, config, track, START, END);
    }

    @Test
    void theHealthyCanaryPromotesInEitherForm() {
        JsonNode two = judge("twoQueries", "canary");
        assertEquals("promote", two.path("verdict").asText(), two.toString());
        assertEquals(61, two.at("/metrics/0/canary/n").asInt(), two.toString());
        assertEquals(61 * 4 * 2_503, two.at("/metrics/1/canary/requests").asLong(), 61 * 40, two.toString());
        assertEquals("promote", judge("byCode", "canary").path("verdict").asText());
    }

    @Test
    void nanSamplesAreGapsThatLeaveTooLittleCoverage() {
        JsonNode j = judge("twoQueries", "canary_nan").at("/metrics/0");
        assertEquals("inconclusive", j.path("outcome").asText(), j.toString());
        assertTrue(j.path("reason").asText().matches("The canary reported 3[01] of 61 one-minute steps\\..*"), j.toString());
        JsonNode rate = judge("twoQueries", "canary_errnan").at("/metrics/1");
        assertEquals("inconclusive", rate.path("outcome").asText(), rate.toString());
        // Every one-minute increase() window holds a NaN sample, and the requests' sum includes the 5xx series.
        assertTrue(rate.path("reason").asText().startsWith("The canary reported 0 of 61 one-minute steps"), rate.toString());
        assertEquals("inconclusive", judge("byCode", "canary_errnan").at("/metrics/0/outcome").asText());
    }

    @Test
    void aGapInTheScrapesIsInconclusive() {
        JsonNode j = judge("twoQueries", "canary_gap");
        assertEquals("hold", j.path("verdict").asText(), j.toString());
        for (JsonNode m : j.path("metrics")) {
            assertEquals("inconclusive", m.path("outcome").asText(), m.toString());
            assertTrue(m.path("reason").asText().startsWith("The canary reported"), m.toString());
        }
    }

    @Test
    void aSeriesThatIsNotThereIsNodataUnlessTheSameQueryVouchesForIt() {
        JsonNode typo = judge("typo", "canary").at("/metrics/0");
        assertEquals("nodata", typo.path("outcome").asText(), typo.toString());
        assertTrue(typo.path("reason").asText().startsWith("the canary errors query returned no series"), typo.toString());
        JsonNode noErrors = judge("twoQueries", "canary_no5xx").at("/metrics/1");
        assertEquals("nodata", noErrors.path("outcome").asText(), "two queries cannot tell none from a typo: " + noErrors);
        JsonNode vouched = judge("byCode", "canary_no5xx");
        assertEquals("promote", vouched.path("verdict").asText(), "by code, no 5xx series is zero errors: " + vouched);
        assertEquals(0, vouched.at("/metrics/0/canary/errors").asLong());
        JsonNode typoByCode = judge("typoByCode", "canary").at("/metrics/0");
        assertEquals("nodata", typoByCode.path("outcome").asText(), typoByCode.toString());
        assertTrue(typoByCode.path("reason").asText().startsWith("the canary requests query returned no series"),
            typoByCode.toString());
    }
}
