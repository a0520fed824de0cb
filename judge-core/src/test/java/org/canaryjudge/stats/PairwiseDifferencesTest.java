package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairwiseDifferencesTest {

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
