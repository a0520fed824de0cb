package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

/** The exact distribution against Commons Statistics' independent exact p-values. */
class MannWhitneyDistributionTest {

    @Test
    void lowerTailMatchesCommonsStatisticsExactPValues() {
        MannWhitneyUTest less = MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.LESS_THAN);
        for (int m : new int[] {1, 2, 5, 13, 30, 49}) {
            for (int n : new int[] {1, 3, 10, 27, 49}) {
                MannWhitneyDistribution dist = new MannWhitneyDistribution(m, n);
                for (int u : new int[] {0, 1, m * n / 7, m * n / 3, m * n / 2, m * n - 2}) {
                    if (u < 0) {
                        continue;
                    }
                    double[][] xy = samplesWithStatistic(m, n, u);
                    double expected = less.test(xy[0], xy[1]).getPValue();
                    assertEquals(expected, dist.cumulativeProbability(u), 1e-12 + 1e-9 * expected,
                        "m=" + m + " n=" + n + " u=" + u);
                }
            }
        }
    }

    @Test
    void isSymmetricAndComplete() {
        MannWhitneyDistribution dist = new MannWhitneyDistribution(8, 11);
        assertEquals(1, dist.cumulativeProbability(88));
        assertEquals(0, dist.cumulativeProbability(-1));
        for (int u = 0; u < 88; u++) {
            assertEquals(dist.cumulativeProbability(u), 1 - dist.cumulativeProbability(88 - u - 1), 1e-14);
        }
        // P(U = 0) = 1 / C(19, 8).
        assertEquals(1 / 75582.0, dist.cumulativeProbability(0), 1e-18);
    }

    /** Builds samples without ties whose U statistic (pairs with x above y) is exactly u. */
    private static double[][] samplesWithStatistic(int m, int n, int u) {
        double[] y = new double[n];
        for (int j = 0; j < n; j++) {
            y[j] = 2 * j + 1;
        }
        double[] x = new double[m];
        int left = u;
        for (int i = 0; i < m; i++) {
            int above = Math.min(n, left);
            left -= above;
            x[i] = 2 * above + 0.5 * (1 + i / (double) (m + 1));
        }
        return new double[][] {x, y};
    }
}
