package org.canaryjudge.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The 95 % Hodges–Lehmann interval of m × n continuous values without ties (so the asymptotic
 * rule), against the reference cost of sorting the pooled m + n values once, and, at 1,000 × 1,000,
 * against the naive method that forms and sorts all m·n differences.
 *
 * <p>x is N(0.1, 1) and y is N(0, 1), generated once per trial. {@code HodgesLehmannInterval.of}
 * does not modify its arguments. The sort benchmarks sort a fresh copy made inside the measured
 * method; the {@code clone*} benchmarks measure the copy alone, so it can be subtracted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HodgesLehmannBenchmark {

    static final double CONFIDENCE = 0.95;

    /** Samples of one size, with their pooled values. */
    abstract static class Samples {
        double[] x;
        double[] y;
        double[] pooled;

        void fill(int size) {
            x = BenchData.normal(size, size, 0.1);
            y = BenchData.normal(size + 1L, size, 0.0);
            BenchData.requireNoTies(x, y);
            pooled = BenchData.pooled(x, y);
            HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, CONFIDENCE, 1);
            if (hl.method() != HodgesLehmannInterval.Method.ASYMPTOTIC) {
                throw new IllegalStateException("expected the asymptotic path, got " + hl);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Thousand extends Samples {
        @Setup
        public void setUp() {
            fill(1_000);
            // The naive method must give the very same estimate and end points.
            HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, CONFIDENCE, 1);
            double[] naive = naive(x, y, CONFIDENCE);
            if (naive[0] != hl.estimate() || naive[1] != hl.lower() || naive[2] != hl.upper()) {
                throw new IllegalStateException("naive " + Arrays.toString(naive) + " differs from " + hl);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class HundredThousand extends Samples {
        @Setup
        public void setUp() {
            fill(100_000);
        }
    }

    @Benchmark
    public HodgesLehmannInterval interval1k(Thousand s) {
        return HodgesLehmannInterval.of(s.x, s.y, CONFIDENCE, 1);
    }

    @Benchmark
    public double[] sortPooled1k(Thousand s) {
        double[] copy = s.pooled.clone();
        Arrays.sort(copy);
        return copy;
    }

    @Benchmark
    public double[] clonePooled1k(Thousand s) {
        return s.pooled.clone();
    }

    @Benchmark
    public double[] naive1k(Thousand s) {
        return naive(s.x, s.y, CONFIDENCE);
    }

    @Benchmark
    public HodgesLehmannInterval interval100k(HundredThousand s) {
        return HodgesLehmannInterval.of(s.x, s.y, CONFIDENCE, 1);
    }

    @Benchmark
    public double[] sortPooled100k(HundredThousand s) {
        double[] copy = s.pooled.clone();
        Arrays.sort(copy);
        return copy;
    }

    @Benchmark
    public double[] clonePooled100k(HundredThousand s) {
        return s.pooled.clone();
    }

    /**
     * The textbook method: form all m·n differences, sort them, and read off the median and the
     * end points at the ranks of the asymptotic rule (no ties, no variance inflation).
     *
     * @return {estimate, lower, upper}
     */
    static double[] naive(double[] x, double[] y, double confidence) {
        int m = x.length;
        int n = y.length;
        long mnLong = (long) m * n;
        if (mnLong > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many differences for one array: " + mnLong);
        }
        int mn = (int) mnLong;
        double[] d = new double[mn];
        int k = 0;
        for (double xi : x) {
            for (double yj : y) {
                d[k++] = xi - yj;
            }
        }
        Arrays.sort(d);
        double estimate = mn % 2 == 1 ? d[mn / 2] : (d[mn / 2 - 1] + d[mn / 2]) / 2;
        long size = (long) m + n;
        double sigma = Math.sqrt(mn / 12.0 * (size + 1));
        double z = NormalDistribution.of(0, 1).inverseSurvivalProbability((1 - confidence) / 2);
        long lowerRank = Math.max(1, firstCountScoringBelow(z, mn, sigma));
        long upperRank = Math.min(mn, firstCountScoringBelow(-z, mn, sigma));
        return new double[] {estimate + 0.0, d[(int) lowerRank - 1] + 0.0, d[(int) upperRank - 1] + 0.0};
    }

    /** The smallest count c in [0, mn] whose continuity-corrected score is below {@code critical}. */
    private static long firstCountScoringBelow(double critical, long mn, double sigma) {
        long lo = 0;
        long hi = mn + 1;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            double dz = mn / 2.0 - mid;
            double score = (dz - 0.5 * Math.signum(dz)) / sigma;
            if (score < critical) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
