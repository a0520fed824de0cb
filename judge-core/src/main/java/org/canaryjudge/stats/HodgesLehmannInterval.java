package org.canaryjudge.stats;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The Hodges–Lehmann estimate of the shift of x against y and its distribution-free interval
 * (Hodges &amp; Lehmann 1963, "Estimates of location based on rank tests", Ann. Math. Statist. 34;
 * Bauer 1972, "Constructing confidence sets using rank statistics", JASA 67).
 *
 * <p>The estimate is the median of the m·n differences D<sub>ij</sub> = x<sub>i</sub> − y<sub>j</sub>.
 * With D<sub>(1)</sub> ≤ … ≤ D<sub>(mn)</sub> sorted:
 * <ul>
 * <li><b>Exact</b> (no ties in the pooled sample, m, n &lt; 50, no variance inflation): with k the
 * smallest q such that P(U ≤ q) ≥ α/2 under the exact null distribution (at least 1), the interval
 * is [D<sub>(k)</sub>, D<sub>(mn−k+1)</sub>].
 * <li><b>Asymptotic</b> (otherwise): the set of shifts d whose continuity-corrected normal score
 * z(d) = (U(d) − mn/2 − ½·sign(U(d) − mn/2)) / σ lies within ±z<sub>1−α/2</sub>, where U(d) counts the
 * pairs with x<sub>i</sub> − d &gt; y<sub>j</sub> and σ² = (mn/12)[(m + n + 1) − Σ(t³ − t)/((m + n)(m + n − 1))]
 * over the tie groups within each sample. Between two consecutive differences U(d) = mn − c, where c
 * is the number of differences at most d, so z is a step function of c alone: each end point is the
 * difference D<sub>(c)</sub> at the first count c whose score crosses the critical value. That count
 * is found by bisection over the integers and the difference is selected exactly — there is no
 * root-finding tolerance, so tiny metrics (say 1e-6) get the same relative precision as large ones.
 * When even the most extreme count does not reach the critical value (small samples, a large
 * sequential critical value or a strong variance inflation), no shift is rejected on that side and
 * the end is infinite.
 * </ul>
 * Both rules are those of R's {@code wilcox.test(x, y, conf.int = TRUE)}, whose interval end points
 * this reproduces to the last bit of the selected difference.
 *
 * <p>{@code varianceInflation} &gt; 1 multiplies σ² (see {@link SerialCorrelation}) and so widens
 * the asymptotic interval; the exact interval assumes independent points and is then not used.
 */
public final class HodgesLehmannInterval {

    /** How the interval's end points were found. */
    public enum Method {
        /** Exact null distribution of U. */
        EXACT,
        /** Normal approximation with tie and continuity correction. */
        ASYMPTOTIC
    }

    /** Samples below this size on both sides, without ties, get the exact interval (R's rule). */
    static final int EXACT_LIMIT = 50;

    private final double estimate;
    private final double lower;
    private final double upper;
    private final double confidence;
    private final Method method;

    private HodgesLehmannInterval(double estimate, double lower, double upper, double confidence, Method method) {
        this.estimate = estimate;
        this.lower = lower;
        this.upper = upper;
        this.confidence = confidence;
        this.method = method;
    }

    /**
     * @param x first sample (canary), at least one value, all finite
     * @param y second sample (baseline), at least one value, all finite
     * @param confidence two-sided level in (0, 1)
     * @param varianceInflation factor ≥ 1 on the variance of U for serially correlated samples
     * @return the estimate of the shift of x against y with its interval
     */
    public static HodgesLehmannInterval of(double[] x, double[] y, double confidence, double varianceInflation) {
        checkLevel(confidence, varianceInflation);
        double[] xs = sorted(x);
        double[] ys = sorted(y);
        PairwiseDifferences d = PairwiseDifferences.ofSorted(xs, ys);
        double alpha = 1 - confidence;
        if (varianceInflation == 1 && x.length < EXACT_LIMIT && y.length < EXACT_LIMIT && !hasPooledTies(xs, ys)) {
            long k = Math.max(1, new MannWhitneyDistribution(x.length, y.length).quantile(alpha / 2));
            double[] v = d.intervalAround(k, d.size() - k + 1);
            return new HodgesLehmannInterval(v[0], v[1], v[2], confidence, Method.EXACT);
        }
        double z = NormalDistribution.of(0, 1).inverseSurvivalProbability(alpha / 2);
        return asymptotic(d, xs, ys, z, confidence, varianceInflation);
    }

    /**
     * The asymptotic interval with a given critical value in place of z<sub>1−α/2</sub> — for
     * example the time-uniform one of a {@link NormalMixtureBoundary}, which makes the interval a
     * confidence sequence, valid at every look at once.
     *
     * @param x first sample (canary), at least one value, all finite
     * @param y second sample (baseline), at least one value, all finite
     * @param critical the critical value for the standardised statistic, &gt; 0
     * @param confidence the level the critical value stands for, reported with the interval
     * @param varianceInflation factor ≥ 1 on the variance of U for serially correlated samples
     * @return the estimate with its interval
     */
    public static HodgesLehmannInterval withCriticalValue(double[] x, double[] y, double critical, double confidence,
                                                          double varianceInflation) {
        checkLevel(confidence, varianceInflation);
        if (!(critical > 0)) {
            throw new IllegalArgumentException("critical value must be above 0, got " + critical);
        }
        double[] xs = sorted(x);
        double[] ys = sorted(y);
        return asymptotic(PairwiseDifferences.ofSorted(xs, ys), xs, ys, critical, confidence, varianceInflation);
    }

    private static HodgesLehmannInterval asymptotic(PairwiseDifferences d, double[] xs, double[] ys, double critical,
                                                    double confidence, double varianceInflation) {
        long mn = d.size();
        long size = (long) xs.length + ys.length;
        double ties = tieSum(xs) + tieSum(ys);
        double sigma = Math.sqrt(mn / 12.0 * ((size + 1) - ties / ((double) size * (size - 1))) * varianceInflation);
        long lowerCount = firstCountScoringBelow(critical, mn, sigma);
        long upperCount = firstCountScoringBelow(-critical, mn, sigma);
        double[] v = d.intervalAround(Math.max(1, lowerCount), Math.min(mn, upperCount));
        // A critical value no count can reach rejects no shift on that side: the end is unbounded,
        // not the extreme difference (which would be a narrower set than the level allows).
        double lower = lowerCount == 0 ? Double.NEGATIVE_INFINITY : v[1];
        double upper = upperCount > mn ? Double.POSITIVE_INFINITY : v[2];
        return new HodgesLehmannInterval(v[0], lower, upper, confidence, Method.ASYMPTOTIC);
    }

    private static void checkLevel(double confidence, double varianceInflation) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        if (!(varianceInflation >= 1)) {
            throw new IllegalArgumentException("variance inflation must be at least 1, got " + varianceInflation);
        }
    }

    /** @return the Hodges–Lehmann estimate: the median of the pairwise differences */
    public double estimate() {
        return estimate;
    }

    /** @return the interval's lower end */
    public double lower() {
        return lower;
    }

    /** @return the interval's upper end */
    public double upper() {
        return upper;
    }

    /** @return the two-sided level of the interval */
    public double confidence() {
        return confidence;
    }

    /** @return how the end points were found */
    public Method method() {
        return method;
    }

    @Override
    public String toString() {
        return "HodgesLehmannInterval[" + estimate + " in [" + lower + ", " + upper + "] at " + confidence
            + ", " + method + "]";
    }

    /**
     * The smallest count c in [0, mn] of differences at most d for which the score z(c) is below
     * {@code critical}; mn + 1 when there is none. z(c) does not increase with c.
     */
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

    private static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** @return true when a value of one sorted sample equals a value of the other, or repeats */
    private static boolean hasPooledTies(double[] xs, double[] ys) {
        if (tieSum(xs) > 0 || tieSum(ys) > 0) {
            return true;
        }
        int i = 0;
        int j = 0;
        while (i < xs.length && j < ys.length) {
            if (xs[i] == ys[j]) {
                return true;
            }
            if (xs[i] < ys[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** @return Σ(t³ − t) over the groups of t equal values in a sorted sample */
    private static double tieSum(double[] sorted) {
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1;
            sum += t * t * t - t;
            i = j + 1;
        }
        return sum;
    }
}
