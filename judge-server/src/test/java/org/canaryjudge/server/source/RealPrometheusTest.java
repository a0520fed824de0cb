package org.canaryjudge.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link RealPrometheus} and {@link OpenMetricsRecording} against Debian's Prometheus 2.42: two
 * committed fixtures are imported into one server and read back through {@code /api/v1/query_range}, with
 * the fixture's point spacing as the step. The PromQL findings asserted here are written down in
 * {@link OpenMetricsRecording}'s class comment: gauges come back exactly but are carried over gaps for the
 * 5-minute lookback; {@code increase()} over a window of one step gives each row's count exactly.
 *
 * <p>{@code missing-data-gaps} has one-minute rows from 2024, p99 with empty cells on both sides and ten
 * canary minutes with no row at all; {@code nab-ec2-cpu-quiet-aa} has real CPU with five-minute rows from
 * 2014, so it also shows that the long retention keeps decade-old blocks next to new ones.
 *
 * <p>Start-up on the project's 2-core machine (the test prints it): the first {@link RealPrometheus#start} in
 * a JVM takes about 0.9 s, of which 0.2–0.3 s is Prometheus from launch to queryable blocks, about 0.15 s
 * promtool's import, and the rest first-use costs in the JVM; a second start, as in the close test, about 0.3 s.
 */
@Tag("prometheus")
class RealPrometheusTest {

    private static final Path LIBRARY = Path.of("..", "fixtures");
    private static final List<String> TRACKS = List.of("baseline", "canary");

    private static Fixture gaps;
    private static Fixture nab;
    private static RealPrometheus prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        FixtureReader reader = new FixtureReader();
        gaps = reader.read(LIBRARY.resolve("missing-data-gaps"));
        nab = reader.read(LIBRARY.resolve("nab-ec2-cpu-quiet-aa"));
        long begin = System.nanoTime();
        prometheus = RealPrometheus.start(OpenMetricsRecording.of(gaps, nab));
        System.out.printf("RealPrometheus: import and start took %d ms, of which prometheus %d ms%n",
            (System.nanoTime() - begin) / 1_000_000, prometheus.startupTime().toMillis());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void aGaugeReturnsTheRecordedValuesAndCarriesThemOverGapsForTheLookback() {
        int carried = 0;
        for (Fixture fixture : List.of(gaps, nab)) {
            RecordedMetric metric = continuous(fixture);
            for (String track : TRACKS) {
                SortedMap<Long, Double> recorded = recordedValues(metric, track);
                long step = OpenMetricsRecording.step(fixture).toSeconds();
                long start = recorded.firstKey() - step;
                long end = recorded.lastKey() + RealPrometheus.LOOKBACK.toSeconds() + step;
                SortedMap<Long, Double> expected = new TreeMap<>();
                for (long t = start; t <= end; t += step) {
                    // The latest recorded value in [t - lookback, t], both ends included.
                    SortedMap<Long, Double> window = recorded.subMap(t - RealPrometheus.LOOKBACK.toSeconds(), t + 1);
                    if (!window.isEmpty()) {
                        expected.put(t, window.get(window.lastKey()));
                    }
                }
                String selector = OpenMetricsRecording.selector(OpenMetricsRecording.gauge(metric.spec().name()), fixture, track);
                assertEquals(expected, points(selector, start, end, fixture), fixture.name() + " " + track);
                carried += expected.size() - recorded.size();
            }
        }
        assertTrue(carried > 0, "the fixtures have gaps within the lookback, so some values are carried over");
    }

    @Test
    void lastOverTimeWithinOneStepReturnsExactlyTheRecordedValues() {
        RecordedMetric metric = continuous(gaps);
        long step = OpenMetricsRecording.step(gaps).toSeconds();
        for (String track : TRACKS) {
            SortedMap<Long, Double> recorded = recordedValues(metric, track);
            assertTrue(recorded.size() < times(metric, track).length, track + " has missing values");
            String query = "last_over_time(" + OpenMetricsRecording.selector(OpenMetricsRecording.gauge(metric.spec().name()),
                gaps, track) + "[" + (step - 1) + "s])";
            assertEquals(recorded, points(query, recorded.firstKey() - step, recorded.lastKey() + step, gaps), track);
        }
    }

    @Test
    void increaseOverOneStepReturnsEachRowsCountExactly() {
        RecordedMetric metric = rate(gaps);
        long step = OpenMetricsRecording.step(gaps).toSeconds();
        for (String track : TRACKS) {
            for (boolean errors : new boolean[] {true, false}) {
                SortedMap<Long, Double> counts = recordedCounts(metric, track, errors);
                String query = "sum(increase(" + counter(metric, track, errors) + "[" + step + "s]))";
                assertEquals(counts, points(query, counts.firstKey() - step, counts.lastKey() + step, gaps),
                    query + ": each row's count at its timestamp, nothing where a row is missing");
            }
        }
    }

    @Test
    void increaseOverTwoStepsSumsTwoRows() {
        RecordedMetric metric = rate(gaps);
        long step = OpenMetricsRecording.step(gaps).toSeconds();
        SortedMap<Long, Double> counts = recordedCounts(metric, "canary", true);
        String query = "sum(increase(" + counter(metric, "canary", true) + "[" + 2 * step + "s]))";
        SortedMap<Long, Double> twoSteps = points(query, counts.firstKey(), counts.lastKey(), gaps);
        int checked = 0;
        for (Map.Entry<Long, Double> row : counts.entrySet()) {
            Double previous = counts.get(row.getKey() - step);
            if (previous != null) {
                assertEquals(row.getValue() + previous, twoSteps.get(row.getKey()), "at " + row.getKey());
                checked++;
            }
        }
        assertTrue(checked > counts.size() / 2, "most rows follow a row one step before: " + checked);
    }

    @Test
    void closeEndsTheProcessAndDeletesItsFolder() throws Exception {
        Fixture crashLoop = new FixtureReader().read(LIBRARY.resolve("crash-loop"));
        RealPrometheus other = RealPrometheus.start(OpenMetricsRecording.of(crashLoop));
        long pid = other.pid();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(other.baseUrl().resolve("/-/ready")).build();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "running before close()");
        assertEquals(200, http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode());

        other.close();

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
        assertThrows(IOException.class, () -> http.send(ready, HttpResponse.BodyHandlers.discarding()),
            "nothing listens on " + other.baseUrl() + " any more");
        assertFalse(Files.exists(other.folder()), "the data folder is deleted");
        other.close(); // a second close is harmless
    }

    @Test
    void failsAndSaysHowToInstallWhenTheBinariesAreMissing() throws IOException {
        Path file = OpenMetricsRecording.of(gaps).writeTo(dir.resolve("gaps.om.txt"));
        Path emptyBin = Files.createDirectories(dir.resolve("bin"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> RealPrometheus.start(file, emptyBin.toString()));
        assertTrue(e.getMessage().contains("promtool is not installed") && e.getMessage().contains(RealPrometheus.INSTALL),
            e.getMessage());
    }

    @Test
    void surfacesPromtoolsOutputWhenTheImportFails() throws IOException {
        String text = OpenMetricsRecording.of(nab).text();
        Path truncated = Files.writeString(dir.resolve("truncated.om.txt"), text.substring(0, text.indexOf("# EOF")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RealPrometheus.start(truncated));
        assertTrue(e.getMessage().contains("failed with status 1") && e.getMessage().contains("does not end with # EOF"),
            e.getMessage());
    }

    private static SortedMap<Long, Double> points(String promql, long start, long end, Fixture fixture) {
        List<RealPrometheus.RangeSeries> result = prometheus.queryRange(promql, start, end, OpenMetricsRecording.step(fixture));
        assertEquals(1, result.size(), promql + ": one series, got " + result);
        return result.get(0).points();
    }

    private static RecordedMetric continuous(Fixture fixture) {
        return fixture.metrics().stream().filter(m -> m.before(Long.MAX_VALUE).data() instanceof MetricData.Continuous)
            .findFirst().orElseThrow();
    }

    private static RecordedMetric rate(Fixture fixture) {
        return fixture.metrics().stream().filter(m -> m.before(Long.MAX_VALUE).data() instanceof MetricData.Rate)
            .findFirst().orElseThrow();
    }

    private static String counter(RecordedMetric metric, String track, boolean errors) {
        String name = metric.spec().name();
        return OpenMetricsRecording.selector(errors ? OpenMetricsRecording.errors(name) : OpenMetricsRecording.requests(name),
            gaps, track);
    }

    private static long[] times(RecordedMetric metric, String track) {
        return track.equals("canary") ? metric.canaryTimes() : metric.baselineTimes();
    }

    /** The side's recorded values by timestamp, missing ones left out. */
    private static SortedMap<Long, Double> recordedValues(RecordedMetric metric, String track) {
        MetricData.Continuous data = (MetricData.Continuous) metric.before(Long.MAX_VALUE).data();
        double[] values = (track.equals("canary") ? data.canary() : data.baseline()).values();
        long[] times = times(metric, track);
        SortedMap<Long, Double> out = new TreeMap<>();
        for (int i = 0; i < times.length; i++) {
            if (!Double.isNaN(values[i])) {
                out.put(times[i], values[i]);
            }
        }
        return out;
    }

    /** The side's errors (or requests) per row, by timestamp. */
    private static SortedMap<Long, Double> recordedCounts(RecordedMetric metric, String track, boolean errors) {
        MetricData.Rate data = (MetricData.Rate) metric.before(Long.MAX_VALUE).data();
        Counts side = track.equals("canary") ? data.canary() : data.baseline();
        long[] counts = errors ? side.errorsPerInterval() : side.requestsPerInterval();
        long[] times = times(metric, track);
        SortedMap<Long, Double> out = new TreeMap<>();
        for (int i = 0; i < times.length; i++) {
            out.put(times[i], (double) counts[i]);
        }
        return out;
    }
}
