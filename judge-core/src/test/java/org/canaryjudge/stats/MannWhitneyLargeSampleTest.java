package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.Test;

/** The large-sample score computed from sorted copies equals Commons Statistics' asymptotic test. */
class MannWhitneyLargeSampleTest {

    private static final MannWhitneyUTest ASYMPTOTIC = MannWhitneyUTest.withDefaults().with(PValueMethod.ASYMPTOTIC);

    @Test
    void matchesTheRankingTestWithAndWithoutTiesAndShifts() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(3_000);
            int m = 1 + random.nextInt(3_000);
            int levels = trial % 3 == 0 ? 5 : trial % 3 == 1 ? 1_000 : Integer.MAX_VALUE;
            double shift = trial % 4 == 0 ? 0 : random.nextDouble() * 0.2;
            double[] x = draw(random, n, levels, shift);
            double[] y = draw(random, m, levels, 0);
            double expected = ASYMPTOTIC.test(x, y).getPValue();
            double actual = 2 * org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
                .survivalProbability(MannWhitneyPValue.largeSampleScore(x, y));
            assertEquals(expected, actual, 1e-12 + 1e-9 * expected, "trial " + trial + ": n=" + n + " m=" + m);
        }
    }

    @Test
    void aMillionValuesASideAreScoredWithoutTheRankingsObjects() {
        SplittableRandom random = new SplittableRandom(8);
        double[] x = draw(random, 1_000_000, 20_000, 0);
        double[] y = draw(random, 1_000_000, 20_000, 0);
        double p = MannWhitneyPValue.twoSided(x, y, 1);
        assertEquals(true, p > 0.001 && p <= 1, "p = " + p);
    }

    private static double[] draw(SplittableRandom random, int n, int levels, double shift) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            v[i] = (levels == Integer.MAX_VALUE ? u : Math.floor(u * levels) / levels) + shift;
        }
        return v;
    }
}
