package org.canaryjudge.stats;

/**
 * The exact null distribution of the Mann–Whitney statistic U for samples of sizes m and n without
 * ties (Mann &amp; Whitney 1947, "On a test of whether one of two random variables is stochastically
 * larger than the other", Ann. Math. Statist. 18).
 *
 * <p>The number of arrangements with U = u is the coefficient of q<sup>u</sup> in the Gaussian
 * binomial coefficient [m + n choose m]<sub>q</sub> = ∏<sub>i=1..s</sub> (1 − q<sup>L+i</sup>) /
 * (1 − q<sup>i</sup>), with s = min(m, n) and L = max(m, n) (Andrews 1976, "The Theory of
 * Partitions", ch. 3). Multiplying by (1 − q<sup>L+i</sup>) and dividing by (1 − q<sup>i</sup>)
 * are each one pass over the coefficients, so the lower half of the distribution (which by
 * symmetry is all that is needed) costs O(s · mn) operations instead of the O(m · n · mn) of the
 * textbook recursion. Counts are held as doubles: their relative error is of the order of the
 * machine epsilon, far below any confidence level's resolution.
 */
public final class MannWhitneyDistribution {

    private final int m;
    private final int n;
    /** cumulative[u] = P(U ≤ u) for u from 0 to floor(mn / 2). */
    private final double[] cumulative;

    /**
     * @param m size of the first sample, at least 1
     * @param n size of the second sample, at least 1
     */
    public MannWhitneyDistribution(int m, int n) {
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("sample sizes must be at least 1, got " + m + " and " + n);
        }
        this.m = m;
        this.n = n;
        int half = (int) ((long) m * n / 2);
        int s = Math.min(m, n);
        int large = Math.max(m, n);
        double[] c = new double[half + 1];
        c[0] = 1;
        for (int i = 1; i <= s; i++) {
            for (int u = half; u >= large + i; u--) {
                c[u] -= c[u - large - i];
            }
            for (int u = i; u <= half; u++) {
                c[u] += c[u - i];
            }
        }
        double total = binomial(m + n, s);
        cumulative = new double[half + 1];
        double sum = 0;
        for (int u = 0; u <= half; u++) {
            sum += c[u];
            cumulative[u] = sum / total;
        }
    }

    /** @return P(U ≤ u) */
    public double cumulativeProbability(int u) {
        long mn = (long) m * n;
        if (u < 0) {
            return 0;
        }
        if (u >= mn) {
            return 1;
        }
        if (u < cumulative.length) {
            return cumulative[u];
        }
        // Symmetry about mn / 2: P(U ≤ u) = 1 − P(U ≤ mn − u − 1).
        return 1 - cumulative[(int) (mn - u - 1)];
    }

    /**
     * The lower critical value used for the exact Hodges–Lehmann interval (R's {@code qwilcox}).
     *
     * @param p a probability in (0, 1)
     * @return the smallest q with P(U ≤ q) ≥ p
     */
    public int quantile(double p) {
        int q = 0;
        while (cumulativeProbability(q) < p) {
            q++;
        }
        return q;
    }

    private static double binomial(int total, int k) {
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (total - k + i) / i;
        }
        return b;
    }
}
