package org.canaryjudge.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The two-sided Mann–Whitney p-value of "no shift between x and y", from Apache Commons
 * Statistics: exact when there are no ties and both samples have fewer than 50 values, otherwise
 * the normal approximation with tie and continuity correction (R's rules).
 *
 * <p>For serially correlated samples the variance of U grows by a factor F ≥ 1
 * (see {@link SerialCorrelation}); the normal score is then divided by √F. The exact distribution
 * assumes independence, so a corrected p-value always comes from the normal approximation.
 */
public final class MannWhitneyPValue {

    private static final MannWhitneyUTest AUTO = MannWhitneyUTest.withDefaults();
    private static final MannWhitneyUTest ASYMPTOTIC = AUTO.with(PValueMethod.ASYMPTOTIC);
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private MannWhitneyPValue() {
    }

    /**
     * @param x first sample (canary), at least one value
     * @param y second sample (baseline), at least one value
     * @param varianceInflation factor F ≥ 1 on the variance of U
     * @return the two-sided p-value; 1 when every value of both samples is the same
     */
    public static double twoSided(double[] x, double[] y, double varianceInflation) {
        if (allEqual(x, y)) {
            // U has no variance: there is no evidence of any shift.
            return 1;
        }
        // Commons Statistics ranks -0.0 below 0.0; they are the same value (and a tie) here, as in R.
        double[] xs = withoutNegativeZero(x);
        double[] ys = withoutNegativeZero(y);
        if (varianceInflation == 1) {
            return AUTO.test(xs, ys).getPValue();
        }
        return 2 * STANDARD_NORMAL.survivalProbability(absoluteScore(x, y, varianceInflation));
    }

    /**
     * @param x first sample (canary), at least one value
     * @param y second sample (baseline), at least one value
     * @param varianceInflation factor F ≥ 1 on the variance of U
     * @return |z|, the continuity- and tie-corrected normal score of U divided by √F; 0 when every
     *     value is the same
     */
    public static double absoluteScore(double[] x, double[] y, double varianceInflation) {
        if (allEqual(x, y)) {
            return 0;
        }
        double p = ASYMPTOTIC.test(withoutNegativeZero(x), withoutNegativeZero(y)).getPValue();
        return STANDARD_NORMAL.inverseSurvivalProbability(p / 2) / Math.sqrt(varianceInflation);
    }

    private static boolean allEqual(double[] x, double[] y) {
        double first = x[0];
        for (double v : x) {
            if (v != first) {
                return false;
            }
        }
        for (double v : y) {
            if (v != first) {
                return false;
            }
        }
        return true;
    }

    private static double[] withoutNegativeZero(double[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] + 0.0;
        }
        return v;
    }
}
