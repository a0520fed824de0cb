package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PairwiseDifferencesTest {

    private static final long SEED = 0x5E1EC7L;

    /** Two samples and ranks to select among their differences. */
    record Case(double[] x, double[] y, long[] ranks) {
        @Override
        public String toString() {
            return "x = " + Arrays.toString(x) + ", y = " + Arrays.toString(y) + ", ranks " + Arrays.toString(ranks);
        }
    }

    /**
     * 1 to 80 values: small integers (many ties, with -0.0 beside 0.0), reals rounded to one
     * decimal (some ties), or reals (hardly any).
     */
    private static Gen<double[]> sample() {
        Gen<Integer> sizes = integers().between(1, 80);
        Gen<Integer> kinds = integers().between(0, 2);
        Gen<Integer> small = integers().between(-3, 2);
        Gen<Double> reals = doubles().between(-50, 50);
        return in -> {
            int kind = kinds.generate(in);
            double[] v = new double[sizes.generate(in)];
            for (int i = 0; i < v.length; i++) {
                if (kind == 0) {
                    int k = small.generate(in);
                    v[i] = k == -3 ? -0.0 : k;
                } else {
                    double r = reals.generate(in);
                    v[i] = kind == 1 ? Math.rint(r * 10) / 10 : r;
                }
            }
            return v;
        };
    }

    /** Samples with 1 to 5 ranks (repeats allowed) from 1 to m·n, in any order. */
    private static Gen<Case> cases() {
        Gen<double[]> samples = sample();
        Gen<Integer> counts = integers().between(1, 5);
        Gen<Long> fractions = longs().between(0, Long.MAX_VALUE);
        return in -> {
            double[] x = samples.generate(in);
            double[] y = samples.generate(in);
            long size = (long) x.length * y.length;
            long[] ranks = new long[counts.generate(in)];
            for (int r = 0; r < ranks.length; r++) {
                ranks[r] = 1 + fractions.generate(in) % size;
            }
            return new Case(x, y, ranks);
        };
    }

    /**
     * Every selected difference — alone, several at once, the median and an interval around it — is
     * bit for bit the one of its rank among all differences sorted.
     */
    @Test
    void selectionEqualsSortingAllDifferences() {
        qt().withFixedSeed(SEED).withExamples(2000)
            .forAll(cases())
            .checkAssert(c -> {
                double[] all = naive(c.x(), c.y());
                PairwiseDifferences d = PairwiseDifferences.of(c.x(), c.y());
                double[] selected = d.selectAll(c.ranks());
                for (int r = 0; r < c.ranks().length; r++) {
                    double expected = all[(int) c.ranks()[r] - 1] + 0.0;
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(selected[r]),
                        "rank " + c.ranks()[r] + ": " + expected + " expected, " + selected[r] + " selected");
                }
                assertEquals(Double.doubleToRawLongBits(all[(int) c.ranks()[0] - 1] + 0.0),
                    Double.doubleToRawLongBits(d.select(c.ranks()[0])));
                long lowerRank = Math.min(c.ranks()[0], c.ranks()[c.ranks().length - 1]);
                long upperRank = Math.max(c.ranks()[0], c.ranks()[c.ranks().length - 1]);
                double[] interval = d.intervalAround(lowerRank, upperRank);
                int h = all.length / 2;
                // Selected differences are never -0.0, so neither is their mean.
                double median = all.length % 2 == 1 ? all[h] + 0.0 : (all[h - 1] + 0.0 + (all[h] + 0.0)) / 2;
                assertEquals(Double.doubleToRawLongBits(median), Double.doubleToRawLongBits(interval[0]), "median");
                assertEquals(Double.doubleToRawLongBits(median), Double.doubleToRawLongBits(d.median()), "median");
                assertEquals(all[(int) lowerRank - 1] + 0.0, interval[1], "lower end");
                assertEquals(all[(int) upperRank - 1] + 0.0, interval[2], "upper end");
            });
    }

    /** Every rank of many random sample pairs (with and without ties) against sorting all differences. */
    @Test
    void selectsEveryRankLikeSortingAllDifferences() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            int m = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(70);
            boolean ties = trial % 3 == 0;
            double[] x = sample(random, m, ties);
            double[] y = sample(random, n, ties);
            double[] all = naive(x, y);
            PairwiseDifferences d = PairwiseDifferences.of(x, y);
            for (int k = 1; k <= all.length; k += 1 + all.length / 97) {
                assertEquals(all[k - 1], d.select(k), "m=" + m + " n=" + n + " k=" + k);
            }
            assertEquals(all[all.length - 1], d.select(all.length));
            assertEquals(all[0], d.min());
            assertEquals(all[all.length - 1], d.max());
            int h = all.length / 2;
            double median = all.length % 2 == 1 ? all[h] : (all[h - 1] + all[h]) / 2;
            assertEquals(median, d.median(), "median m=" + m + " n=" + n);
            double probe = all[random.nextInt(all.length)];
            assertEquals(Arrays.stream(all).filter(v -> v <= probe).count(), d.countAtMost(probe));
        }
    }

    @Test
    void largeSamplesSelectConsistentlyWithCounting() {
        SplittableRandom random = new SplittableRandom(7);
        double[] x = sample(random, 100_000, false);
        double[] y = sample(random, 100_000, true);
        PairwiseDifferences d = PairwiseDifferences.of(x, y);
        for (long k : new long[] {1, 12_345_678L, d.size() / 2, d.size() - 3}) {
            double v = d.select(k);
            assertTrue(d.countAtMost(v) >= k, "at least k differences are at most the k-th");
            assertTrue(d.countAtMost(Math.nextDown(v)) < k, "fewer than k are below it");
        }
    }

    @Test
    void rejectsRanksOutsideTheMatrix() {
        PairwiseDifferences d = PairwiseDifferences.of(new double[] {1, 2}, new double[] {3});
        assertThrows(IllegalArgumentException.class, () -> d.select(0));
        assertThrows(IllegalArgumentException.class, () -> d.select(3));
    }

    static double[] sample(SplittableRandom random, int size, boolean ties) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = ties ? random.nextInt(8) : random.nextDouble() * 100 - 50;
        }
        return v;
    }

    static double[] naive(double[] x, double[] y) {
        double[] all = new double[x.length * y.length];
        int k = 0;
        for (double xi : x) {
            for (double yj : y) {
                all[k++] = xi - yj;
            }
        }
        Arrays.sort(all);
        return all;
    }
}
