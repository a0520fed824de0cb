package org.canaryjudge.stats;

import java.util.Arrays;
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
    /** Above this many values in all, the score is computed here rather than by the ranking's objects. */
    static final int LARGE = 20_000;

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
        if (x.length + y.length > LARGE) {
            return 2 * STANDARD_NORMAL.survivalProbability(largeSampleScore(x, y) / Math.sqrt(varianceInflation));
        }
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
        if (x.length + y.length > LARGE) {
            return largeSampleScore(x, y) / Math.sqrt(varianceInflation);
        }
        double p = ASYMPTOTIC.test(withoutNegativeZero(x), withoutNegativeZero(y)).getPValue();
        return STANDARD_NORMAL.inverseSurvivalProbability(p / 2) / Math.sqrt(varianceInflation);
    }

    /**
     * The same continuity- and tie-corrected normal score as Commons Statistics' asymptotic test,
     * from two sorted copies merged in one pass: no per-value objects, so a million values a side
     * cost 16 MB rather than the ranking's hundreds.
     *
     * <p>U = R<sub>x</sub> − n(n+1)/2 with R<sub>x</sub> the sum of x's mid-ranks;
     * σ² = nm/12 · (N + 1 − Σ(t³ − t) / (N(N − 1))) over tie groups of size t; |z| =
     * max(0, |U − nm/2| − ½) / σ (Mann &amp; Whitney 1947; Lehmann, <i>Nonparametrics</i>, 1975, §1.4).
     */
    static double largeSampleScore(double[] x, double[] y) {
        double[] a = withoutNegativeZero(x);
        double[] b = withoutNegativeZero(y);
        Arrays.sort(a);
        Arrays.sort(b);
        int n = a.length;
        int m = b.length;
        double rankSumX = 0;
        double ties = 0;
        int i = 0;
        int j = 0;
        long below = 0;
        while (i < n || j < m) {
            double v = j >= m || i < n && a[i] <= b[j] ? a[i] : b[j];
            int fromX = 0;
            while (i < n && a[i] == v) {
                i++;
                fromX++;
            }
            int fromY = 0;
            while (j < m && b[j] == v) {
                j++;
                fromY++;
            }
            long t = fromX + fromY;
            double midRank = below + (t + 1) / 2.0;
            rankSumX += fromX * midRank;
            ties += (double) t * t * t - t;
            below += t;
        }
        double total = n + m;
        double u = rankSumX - n * (n + 1.0) / 2;
        double variance = n * (double) m / 12 * (total + 1 - ties / (total * (total - 1)));
        return Math.max(0, Math.abs(u - n * (double) m / 2) - 0.5) / Math.sqrt(variance);
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
