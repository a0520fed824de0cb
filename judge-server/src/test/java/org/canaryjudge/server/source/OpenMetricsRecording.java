package org.canaryjudge.server.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.Series;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.server.fixture.Fixture;

/**
 * Recorded fixtures as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}, so that
 * tests can fetch them from a real Prometheus ({@link RealPrometheus}) with the PromQL a user would write.
 *
 * <h2>Names and labels</h2>
 * Series are named after the fixture metric's {@code name} in {@code fixture.json} (not its CSV column), so a
 * test can build its queries from a {@link Fixture} alone. A metric named {@code M} gives:
 * <ul>
 *   <li>continuous: the gauge {@link #gauge(String) fixture_M}, one sample per recorded value at its
 *       timestamp; a missing value (empty cell) is no sample;</li>
 *   <li>rate: the counters {@link #errors(String) fixture_M_errors_total} and
 *       {@link #requests(String) fixture_M_requests_total} (OpenMetrics families {@code fixture_M_errors} and
 *       {@code fixture_M_requests}).</li>
 * </ul>
 * Every series has exactly two labels: {@code fixture}, the fixture's name, and {@code track}, {@code baseline}
 * or {@code canary}. For example, {@code missing-data-gaps} gives
 * {@code fixture_latency_p99_ms{fixture="missing-data-gaps",track="canary"}} and
 * {@code fixture_error_rate_errors_total{fixture="missing-data-gaps",track="canary"}}. Metric names that are
 * not {@code [a-zA-Z_][a-zA-Z0-9_]*} are rejected rather than renamed.
 *
 * <h2>Counters</h2>
 * A CSV row holds the counts of the {@link #step(Fixture) step} that ends at its timestamp. The counter at a
 * row's timestamp is the sum of the counts of its side's rows up to and including that row. Each run of rows
 * one step apart is preceded by a sample one step before its first row that holds the sum so far (0 before
 * the first row), so every row's count is the counter's increase over the step that ends at the row.
 * A missing row is no sample. One consequence: after a gap of exactly one row, the sample that opens the
 * next run falls on the missing row's timestamp, so a window ending there sees an increase of 0.
 *
 * <h2>Querying it (Prometheus 2.42, with {@code query_range} step = the fixture's step)</h2>
 * Measured, and asserted by {@code RealPrometheusTest}:
 * <ul>
 *   <li>{@code fixture_M{…}} returns every recorded value exactly at its timestamp. Imported data have no
 *       staleness markers, so at a timestamp with a missing value Prometheus returns the latest earlier value
 *       if it is at most the lookback delta (5 min, {@link RealPrometheus#LOOKBACK}) older, both ends
 *       included. {@code last_over_time(fixture_M{…}[S-1s])}, S the step, returns exactly the recorded
 *       values and nothing at missing ones.</li>
 *   <li>{@code sum(increase(fixture_M_errors_total{…}[S]))} returns, at each row's timestamp, exactly that
 *       row's count (no rounding needed) and nothing at timestamps without a row. Range selectors are closed
 *       at both ends in 2.x, so the window holds the sample one step before and the row's own; the samples
 *       span the whole window, so {@code increase()} does not extrapolate. A window of k steps gives the sum
 *       of the k rows ending at the row when they are one step apart, e.g. {@code [2m]} at one-minute steps
 *       sums two rows, not one. At a window that is only partly covered, {@code increase()} extrapolates.</li>
 *   <li>Prometheus 3 made range selectors left-open (its migration guide; not run here): a window of one
 *       step would then hold a single sample and give no result. Fetching the raw counter
 *       ({@code fixture_M_errors_total{…}}) and differencing consecutive points client-side is exact in both.</li>
 * </ul>
 */
public final class OpenMetricsRecording {

    /** The prefix of every metric name. */
    public static final String PREFIX = "fixture_";
    /** The label that holds the fixture's name. */
    public static final String FIXTURE_LABEL = "fixture";
    /** The label that holds the side: {@code baseline} or {@code canary}. */
    public static final String TRACK_LABEL = "track";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String TOTAL = "_total";

    private final String text;

    private OpenMetricsRecording(String text) {
        this.text = text;
    }

    /**
     * @param fixtures fixtures with distinct names
     * @return their series in one OpenMetrics text
     * @throws IllegalArgumentException for a metric name that is no valid Prometheus name, two fixtures with
     *                                  one name, two rows of a side at one timestamp, or names that clash
     */
    public static OpenMetricsRecording of(List<Fixture> fixtures) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, Family> bySeries = new HashMap<>();
        for (Fixture fixture : fixtures) {
            long step = step(fixture).getSeconds();
            for (RecordedMetric recorded : fixture.metrics()) {
                String name = recorded.spec().name();
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(fixture.name() + ": metric '" + name
                        + "' is not a valid Prometheus name part ([a-zA-Z_][a-zA-Z0-9_]*)");
                }
                MetricData data = recorded.before(Long.MAX_VALUE).data();
                if (data instanceof MetricData.Rate rate) {
                    Family errors = family(families, bySeries, errors(name), "counter");
                    Family requests = family(families, bySeries, requests(name), "counter");
                    addCounters(errors, requests, fixture, "baseline", recorded.baselineTimes(), rate.baseline(), step);
                    addCounters(errors, requests, fixture, "canary", recorded.canaryTimes(), rate.canary(), step);
                } else {
                    MetricData.Continuous continuous = (MetricData.Continuous) data;
                    Family gauge = family(families, bySeries, gauge(name), "gauge");
                    gauge.add(fixture, "baseline", gaugeSamples(recorded.baselineTimes(), continuous.baseline()));
                    gauge.add(fixture, "canary", gaugeSamples(recorded.canaryTimes(), continuous.canary()));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(f -> f.appendTo(out));
        return new OpenMetricsRecording(out.append("# EOF\n").toString());
    }

    /** @see #of(List) */
    public static OpenMetricsRecording of(Fixture... fixtures) {
        return of(List.of(fixtures));
    }

    /** @return the series name of a continuous metric's gauge: {@code fixture_<metric>} */
    public static String gauge(String metric) {
        return PREFIX + metric;
    }

    /** @return the series name of a rate metric's error counter: {@code fixture_<metric>_errors_total} */
    public static String errors(String metric) {
        return PREFIX + metric + "_errors" + TOTAL;
    }

    /** @return the series name of a rate metric's request counter: {@code fixture_<metric>_requests_total} */
    public static String requests(String metric) {
        return PREFIX + metric + "_requests" + TOTAL;
    }

    /**
     * @param series a series name such as {@link #gauge(String)} gives
     * @param track {@code baseline} or {@code canary}
     * @return the PromQL selector of one side of the fixture, e.g. {@code fixture_cpu{fixture="x",track="canary"}}
     */
    public static String selector(String series, Fixture fixture, String track) {
        return series + labels(fixture, track);
    }

    /**
     * The fixture's point spacing, which is neither its look {@code interval} nor anything in
     * {@code fixture.json}: the shortest time between consecutive rows of a side, over every metric and both
     * sides. A fixture with at most one row per side has no spacing; its look interval stands in.
     *
     * @throws IllegalArgumentException when a side has two rows at one timestamp
     */
    public static Duration step(Fixture fixture) {
        long step = Long.MAX_VALUE;
        for (RecordedMetric recorded : fixture.metrics()) {
            for (long[] times : List.of(recorded.baselineTimes(), recorded.canaryTimes())) {
                for (int i = 1; i < times.length; i++) {
                    if (times[i] == times[i - 1]) {
                        throw new IllegalArgumentException(fixture.name() + ": two rows of a side at " + times[i]
                            + "; a series holds one sample per timestamp");
                    }
                    step = Math.min(step, times[i] - times[i - 1]);
                }
            }
        }
        return step == Long.MAX_VALUE ? fixture.interval() : Duration.ofSeconds(step);
    }

    /** @return the OpenMetrics text, ending with {@code # EOF} */
    public String text() {
        return text;
    }

    /** Writes the text to {@code file} (UTF-8) and returns the file. */
    public Path writeTo(Path file) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Family family(Map<String, Family> families, Map<String, Family> bySeries, String series,
                                 String type) {
        String familyName = type.equals("counter") ? series.substring(0, series.length() - TOTAL.length()) : series;
        Family family = families.computeIfAbsent(familyName, n -> new Family(n, type, series));
        Family owner = bySeries.putIfAbsent(series, family);
        Family other = owner != null && owner != family ? owner : family;
        if (other != family || !family.type.equals(type)) {
            throw new IllegalArgumentException("the " + type + " " + series + " clashes with the " + other.type + " "
                + other.series + " of another metric; rename one of them");
        }
        return family;
    }

    private static List<String> gaugeSamples(long[] times, Series series) {
        double[] values = series.values();
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            if (!Double.isNaN(values[i])) {
                samples.add(Double.toString(values[i]) + " " + times[i]);
            }
        }
        return samples;
    }

    private static void addCounters(Family errors, Family requests, Fixture fixture, String track, long[] times,
                                    Counts counts, long step) {
        errors.add(fixture, track, counterSamples(times, counts.errorsPerInterval(), step));
        requests.add(fixture, track, counterSamples(times, counts.requestsPerInterval(), step));
    }

    /** The cumulative counter, with a sample one step before each run of rows (see the class comment). */
    private static List<String> counterSamples(long[] times, long[] counts, long step) {
        List<String> samples = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < times.length; i++) {
            if (i == 0 || times[i] - times[i - 1] != step) {
                samples.add(total + " " + (times[i] - step));
            }
            total = Math.addExact(total, counts[i]);
            samples.add(total + " " + times[i]);
        }
        return samples;
    }

    private static String labels(Fixture fixture, String track) {
        return "{" + FIXTURE_LABEL + "=\"" + escape(fixture.name()) + "\"," + TRACK_LABEL + "=\"" + track + "\"}";
    }

    /** OpenMetrics label-value escaping, which PromQL string literals in double quotes read back the same. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** One metric family: its TYPE line and its series, kept together as OpenMetrics requires. */
    private static final class Family {
        private final String name;
        private final String type;
        private final String series;
        private final Map<String, List<String>> samplesByLabels = new LinkedHashMap<>();

        Family(String name, String type, String series) {
            this.name = name;
            this.type = type;
            this.series = series;
        }

        void add(Fixture fixture, String track, List<String> samples) {
            String labels = labels(fixture, track);
            if (samplesByLabels.putIfAbsent(labels, samples) != null) {
                throw new IllegalArgumentException(series + labels + " twice: two fixtures named '" + fixture.name() + "'");
            }
        }

        void appendTo(StringBuilder out) {
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            samplesByLabels.forEach((labels, samples) -> samples.forEach(
                s -> out.append(series).append(labels).append(' ').append(s).append('\n')));
        }
    }
}
