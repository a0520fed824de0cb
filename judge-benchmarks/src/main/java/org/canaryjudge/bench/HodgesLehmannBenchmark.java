package org.canaryjudge.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * against the naive method that forms and sorts all m·n differences (read at the interval's own
 * ranks: the benchmark times the method, the interval's rank rule is tested elsewhere).
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
        int lowerRank;
        int upperRank;

        @Setup
        public void setUp() {
            fill(1_000);
            // The naive method reads the end points at the ranks the interval's end points have among
            // all differences, and must find the very same estimate.
            HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, CONFIDENCE, 1);
            double[] all = differences(x, y);
            Arrays.sort(all);
            lowerRank = rankOf(all, hl.lower());
            upperRank = rankOf(all, hl.upper());
            double[] naive = naive(x, y, lowerRank, upperRank);
            if (naive[0] != hl.estimate() || naive[1] != hl.lower() || naive[2] != hl.upper()) {
                throw new IllegalStateException("naive " + Arrays.toString(naive) + " differs from " + hl);
            }
        }

        private static int rankOf(double[] sorted, double value) {
            int at = Arrays.binarySearch(sorted, value);
            if (at < 0) {
                throw new IllegalStateException(value + " is not one of the differences");
            }
            return at + 1;
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
        return naive(s.x, s.y, s.lowerRank, s.upperRank);
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
     * end points at the given ranks (1-based).
     *
     * @return {estimate, lower, upper}
     */
    static double[] naive(double[] x, double[] y, int lowerRank, int upperRank) {
        double[] d = differences(x, y);
        Arrays.sort(d);
        int mn = d.length;
        double estimate = mn % 2 == 1 ? d[mn / 2] : (d[mn / 2 - 1] + d[mn / 2]) / 2;
        return new double[] {estimate + 0.0, d[lowerRank - 1] + 0.0, d[upperRank - 1] + 0.0};
    }

    /** @return every difference x[i] − y[j], in no particular order */
    static double[] differences(double[] x, double[] y) {
        long mn = (long) x.length * y.length;
        if (mn > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many differences for one array: " + mn);
        }
        double[] d = new double[(int) mn];
        int k = 0;
        for (double xi : x) {
            for (double yj : y) {
                d[k++] = xi - yj;
            }
        }
        return d;
    }
}
