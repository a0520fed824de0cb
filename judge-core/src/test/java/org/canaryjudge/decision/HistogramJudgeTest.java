package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.HistogramSummary;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** Histogram quantiles: R's order-statistic ranks, the invariants of the interval, and the targets by simulation. */
class HistogramJudgeTest {

    static final double[] BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};

    static MetricSpec.Builder p99() {
        return MetricSpec.builder("latency_p99").type(MetricType.HISTOGRAM).quantile(0.99).bounds(BOUNDS)
            .hold(Band.relative(0.2));
    }

    static Histogram one(long... counts) {
        return Histogram.of(new long[][] {counts}, counts.length);
    }

    @Test
    void theFixedIntervalMatchesROnItsGoldenCases() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("/golden/histogram-quantile.csv")) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        assertEquals(5, rows.size());
        for (String row : rows) {
            String[] f = row.split(",");
            long[] counts = Arrays.stream(f[1].split(";")).mapToLong(Long::parseLong).toArray();
            double q = Double.parseDouble(f[3]);
            double alpha = Double.parseDouble(f[4]);
            long n = Long.parseLong(f[2]);
            assertArrayEquals(new long[] {Long.parseLong(f[5]), Long.parseLong(f[6])}, HistogramMetricJudge.fixedRanks(n, q, alpha), f[0]);
            double[] interval = HistogramMetricJudge.interval(one(counts), q, BOUNDS, alpha, false);
            assertEquals(Double.parseDouble(f[7].replace("Inf", "Infinity")), interval[0], 0, f[0]);
            assertEquals(Double.parseDouble(f[8].replace("Inf", "Infinity")), interval[1], 0, f[0]);
        }
    }

    @Test
    void moreDataNeverWidensTheIntervalAndTheSequentialOneContainsTheFixedOne() {
        long[] shape = {2000, 5000, 2500, 400, 80, 15, 5};
        double[] previous = {0, Double.POSITIVE_INFINITY};
        for (int scale = 1; scale <= 64; scale *= 2) {
            long factor = scale;
            long[] counts = Arrays.stream(shape).map(c -> c * factor).toArray();
            double[] fixed = HistogramMetricJudge.interval(one(counts), 0.99, BOUNDS, 0.025, false);
            double[] sequential = HistogramMetricJudge.interval(one(counts), 0.99, BOUNDS, 0.025, true);
            assertTrue(fixed[0] >= previous[0] && fixed[1] <= previous[1], "scale " + scale + ": " + Arrays.toString(fixed));
            assertTrue(sequential[0] <= fixed[0] && sequential[1] >= fixed[1], "scale " + scale);
            previous = fixed;
        }
        assertArrayEquals(new double[] {0.25, 1}, previous, 0, "never finer than the buckets around p99");
    }

    @Test
    void swappingTheSidesMirrorsTheRatioInterval() {
        Histogram slow = one(1900, 4800, 2400, 380, 300, 190, 30);
        Histogram fast = one(2000, 5000, 2500, 400, 80, 15, 5);
        MetricSpec spec = p99().build();
        MetricOutcome forward = judge(Mode.FIXED, spec, fast, slow);
        MetricOutcome back = judge(Mode.FIXED, spec, slow, fast);
        var f = forward.effect().orElseThrow().interval();
        var b = back.effect().orElseThrow().interval();
        assertEquals(1 / (1 + f.upper()) - 1, b.lower(), 1e-12);
        assertEquals(1 / (1 + f.lower()) - 1, b.upper(), 1e-12);
    }

    @Test
    void aSlowTailIsBeyondTheBandWhileTheMedianIsUnchangedAndBucketsThatCannotDecideSaySo() {
        Histogram fast = Histogram.of(new long[][] {{20_000, 50_000, 25_000, 4_000, 800, 150, 50}}, 7);
        Histogram slow = Histogram.of(new long[][] {{19_000, 48_000, 24_000, 3_800, 2_000, 1_700, 1_500}}, 7);
        MetricOutcome p99 = judge(Mode.FIXED, p99().build(), fast, slow);
        assertEquals(Outcome.HOLD, p99.outcome(), p99.reason());
        assertTrue(p99.reason().startsWith("canary p99 is "), p99.reason());
        assertEquals(100_000, ((HistogramSummary) p99.baseline()).requests());
        MetricOutcome median = judge(Mode.FIXED, p99().quantile(0.5).build(), fast, slow);
        assertNotEquals(Outcome.HOLD, median.outcome(), median.reason());
        assertTrue(median.reason().contains("the buckets cannot resolve the band"), median.reason());
    }

    @Test
    void histogramFieldsAreCheckedAndNoDataIsNodata() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> p99().quantile(1.5).bounds(new double[] {1, 0.5}).build());
        assertEquals(List.of("quantile", "bounds/1"), e.violations().stream().map(v -> v.path()).toList());
        assertThrows(InvalidInputException.class, () -> MetricSpec.builder("x").hold(Band.relative(0.1)).quantile(0.9).build());
        assertThrows(InvalidInputException.class, () -> Histogram.of(new long[][] {{1, 2}}, 7));
        MetricOutcome none = judge(Mode.SEQUENTIAL, p99().build(), one(1, 2, 3, 4, 5, 6, 7), one(0, 0, 0, 0, 0, 0, 0));
        assertEquals(Outcome.NODATA, none.outcome());
    }

    static MetricOutcome judge(Mode mode, MetricSpec spec, Histogram baseline, Histogram canary) {
        return new Judge().judge(new JudgeRequest(null, mode, 0.95, List.of(new Metric(spec,
            new MetricData.Histograms(baseline, canary))))).metrics().get(0);
    }

    /** Buckets 10 % apart from 5 ms to 2.2 s, as a latency histogram with fine buckets would have. */
    static final double[] FINE = java.util.stream.IntStream.rangeClosed(0, 64).mapToDouble(k -> 0.005 * Math.pow(1.1, k)).toArray();

    /**
     * One minute of requests into {@link #FINE}: lognormal latencies around 60 ms (log-sd 0.3); a
     * share {@code slowShare} of them 3× slower.
     */
    static long[] minute(SplittableRandom random, int requests, double slowShare) {
        long[] counts = new long[FINE.length + 1];
        for (int i = 0; i < requests; i++) {
            double u1 = 1 - random.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
            double v = 0.06 * Math.exp(0.3 * z) * (random.nextDouble() < slowShare ? 3 : 1);
            int j = Arrays.binarySearch(FINE, v);
            counts[j >= 0 ? j : -j - 1]++;
        }
        return counts;
    }

    /**
     * Sequential looks at 12 one-minute intervals of 1,000 requests a side, hold +20 %, rollback +100 %.
     *
     * @return rollouts that were shown beyond a band and never promoted; rollouts rolled back
     */
    static int[] rollouts(long seed, int rollouts, double slowShare) {
        SplittableRandom random = new SplittableRandom(seed);
        MetricSpec spec = MetricSpec.builder("latency_p99").type(MetricType.HISTOGRAM).quantile(0.99).bounds(FINE)
            .hold(Band.relative(0.2)).rollback(Band.relative(1.0)).build();
        int caught = 0;
        int rolledBack = 0;
        for (int r = 0; r < rollouts; r++) {
            long[][] b = new long[12][];
            long[][] c = new long[12][];
            boolean beyond = false;
            boolean promoted = false;
            boolean back = false;
            for (int look = 0; look < 12; look++) {
                b[look] = minute(random, 1_000, 0);
                c[look] = minute(random, 1_000, slowShare);
                var judgement = new Judge().judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95, List.of(new Metric(spec,
                    new MetricData.Histograms(Histogram.of(Arrays.copyOf(b, look + 1), FINE.length + 1),
                        Histogram.of(Arrays.copyOf(c, look + 1), FINE.length + 1))))));
                Outcome o = judgement.metrics().get(0).outcome();
                beyond |= o == Outcome.HOLD || o == Outcome.ROLLBACK;
                back |= o == Outcome.ROLLBACK;
                promoted |= judgement.verdict() == Verdict.PROMOTE;
            }
            caught += beyond && !promoted ? 1 : 0;
            rolledBack += back ? 1 : 0;
        }
        return new int[] {caught, rolledBack};
    }

    @Test
    void aCanarySendingFourPercentOfRequestsThreeTimesSlowerIsCaughtAndNeverPromoted() {
        int[] slow = rollouts(21, 200, 0.04);
        assertTrue(slow[0] >= 0.9 * 200, slow[0] + " of 200 shown beyond a band and never promoted");
        int[] healthy = rollouts(22, 200, 0);
        assertTrue(healthy[1] <= 0.01 * 200, healthy[1] + " of 200 healthy canaries rolled back");
        System.out.printf(java.util.Locale.ROOT, "histogram p99: slow tail caught %d/200, healthy rolled back %d/200%n",
            slow[0], healthy[1]);
    }
}
